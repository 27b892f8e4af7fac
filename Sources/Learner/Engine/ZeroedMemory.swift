import Foundation

/// Zero-filled memory from `calloc` (Float and Int32 are trivial types: zero bytes are 0).
enum ZeroedMemory {
  static func allocate<T>(_: T.Type, count: Int) -> UnsafeMutablePointer<T> {
    guard let raw = calloc(max(count, 1), MemoryLayout<T>.stride) else {
      fatalError("out of memory allocating \(count) x \(T.self)")
    }
    return raw.bindMemory(to: T.self, capacity: max(count, 1))
  }
}
