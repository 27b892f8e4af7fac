/// A fixed-size, zero-initialised Float32 buffer owned by one workspace: raw pointers keep hot
/// loops free of array bounds checks, copy-on-write and exclusivity checks.
final class FloatBuffer {
  let count: Int
  let pointer: UnsafeMutablePointer<Float>

  init(count: Int) {
    self.count = count
    pointer = .allocate(capacity: max(count, 1))
    pointer.initialize(repeating: 0, count: max(count, 1))
  }

  deinit { pointer.deallocate() }

  func zero(_ n: Int? = nil) {
    pointer.update(repeating: 0, count: n ?? count)
  }

  func array(_ n: Int? = nil) -> [Float] {
    Array(UnsafeBufferPointer(start: pointer, count: n ?? count))
  }
}
