// examples/storage-s3.mjs: run after `npm run build` with `node examples/storage-s3.mjs`, given an S3
// server in AWS_ENDPOINT_URL (omit it for AWS itself), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { openStore } from '@lake/storage'
import { createS3Store } from '@lake/storage-s3' // importing it registers the s3:// scheme

if (process.env.AWS_ACCESS_KEY_ID === undefined) {
  console.log('skipped: no S3 credentials (set AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)')
  process.exit(0)
}
const bucket = process.env.LAKE_EXAMPLE_BUCKET ?? 'lake-examples'
const prefix = `events-${Date.now()}`
const store = createS3Store({ bucket, prefix }) // settings from the AWS_* env
await store.client.send(new CreateBucketCommand({ Bucket: bucket })).catch((err) => {
  if (err.name !== 'BucketAlreadyOwnedByYou') throw err
})
await store.putIfAbsent('_delta_log/00000000000000000000.json', new TextEncoder().encode('{"commitInfo":{}}\n'))
for await (const meta of store.list('_delta_log/')) console.log(meta.path, meta.size)

// Same thing through the URL registry; options override the environment.
const same = await openStore(`s3://${bucket}/${prefix}`, { s3: { region: process.env.AWS_REGION ?? 'us-east-1' } })
console.log(new TextDecoder().decode(await same.get('_delta_log/00000000000000000000.json')))
await store.deleteMany(['_delta_log/00000000000000000000.json'])
store.client.destroy()
