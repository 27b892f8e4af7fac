#if canImport(Glibc)
  import Glibc
#endif

/// Gives freed heap memory back to the system. glibc keeps what a burst of large messages
/// freed in its arenas: after 300 partial replay shards of 4 MiB expired, the node's RSS stayed
/// at 180 MB until `malloc_trim` brought it to 60 MB. A no-op where glibc is not the allocator.
enum HeapTrim {
  /// glibc's `malloc_trim` (not in the Glibc module: it is declared in malloc.h), looked up once.
  private static let trim: (@convention(c) (Int) -> Int32)? = {
    #if canImport(Glibc)
      guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "malloc_trim") else { return nil }
      return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    #else
      return nil
    #endif
  }()

  static func release() { _ = trim?(0) }
}
