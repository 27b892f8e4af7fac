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
