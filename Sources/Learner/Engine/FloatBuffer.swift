import Foundation

/// A fixed-size, zero-initialised Float32 buffer owned by one workspace: raw pointers keep hot
/// loops free of array bounds checks, copy-on-write and exclusivity checks. Zeroed by `calloc`:
/// large buffers come as untouched zero pages, so a workspace costs only the pages its batches
/// use (a latent extraction never touches the backward pass's buffers).
final class FloatBuffer {
  let count: Int
  let pointer: UnsafeMutablePointer<Float>

  init(count: Int) {
    self.count = count
    pointer = ZeroedMemory.allocate(Float.self, count: count)
  }

  deinit { free(pointer) }

  func zero(_ n: Int? = nil) {
    pointer.update(repeating: 0, count: n ?? count)
  }

  func array(_ n: Int? = nil) -> [Float] {
    Array(UnsafeBufferPointer(start: pointer, count: n ?? count))
  }
}

/// Zero-filled memory from `calloc` (Float and Int32 are trivial types: zero bytes are 0).
enum ZeroedMemory {
  static func allocate<T>(_: T.Type, count: Int) -> UnsafeMutablePointer<T> {
    guard let raw = calloc(max(count, 1), MemoryLayout<T>.stride) else {
      fatalError("out of memory allocating \(count) x \(T.self)")
    }
    return raw.bindMemory(to: T.self, capacity: max(count, 1))
  }
}
