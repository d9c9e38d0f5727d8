// Imported first by main.ts, before anything touches the libuv thread pool: segment uploads fsync on it,
// and its default of 4 threads queues them behind each other under load.
process.env.UV_THREADPOOL_SIZE ??= '16';
