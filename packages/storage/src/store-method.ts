// The names of the ObjectStore methods, shared by the decorators (counting, fault injection).

/** One `ObjectStore` operation. */
export type StoreMethod = 'get' | 'head' | 'put' | 'putIfAbsent' | 'list' | 'delete' | 'deleteMany'

/** Every `StoreMethod`, in interface order. */
export const STORE_METHODS: readonly StoreMethod[] = [
  'get',
  'head',
  'put',
  'putIfAbsent',
  'list',
  'delete',
  'deleteMany',
]
