import XCTest

@testable import Storage

final class Float16BitsTests: XCTestCase {
  func testDecodeMatchesSwiftFloat16ForEveryBitPattern() throws {
    #if arch(x86_64) || arch(arm64)
      for bits in 0...0xFFFF {
        let expected = Float(Float16(bitPattern: UInt16(bits)))
        let got = Float16Bits.decode(UInt16(bits))
        if expected.isNaN {
          XCTAssertTrue(got.isNaN, "bits \(bits)")
        } else {
          XCTAssertEqual(got.bitPattern, expected.bitPattern, "bits \(bits)")
        }
      }
    #endif
  }

  func testEncodeRoundsLikeSwiftFloat16() throws {
    #if arch(x86_64) || arch(arm64)
      var random = SplitMix64(seed: 7)
      // Random magnitudes across the whole half range, including subnormals and overflow.
      for _ in 0..<200_000 {
        let exponent = Int(random.next() % 40) - 28
        let sign: Float = random.next() % 2 == 0 ? 1 : -1
        let value = sign * Float(random.unit() + 1) * Float(sign: .plus, exponent: exponent, significand: 1)
        XCTAssertEqual(Float16Bits.encode(value), Float16(value).bitPattern, "value \(value)")
      }
      // Exact ties between two halves round to even.
      for bits in stride(from: 0, to: 0x7BFF, by: 37) {
        let low = Float(Float16(bitPattern: UInt16(bits)))
        let high = Float(Float16(bitPattern: UInt16(bits + 1)))
        let tie = (low + high) / 2
        XCTAssertEqual(Float16Bits.encode(tie), Float16(tie).bitPattern, "tie \(tie)")
      }
      XCTAssertEqual(Float16Bits.encode(.infinity), 0x7C00)
      XCTAssertEqual(Float16Bits.encode(70000), 0x7C00)
      XCTAssertTrue(Float16Bits.decode(Float16Bits.encode(.nan)).isNaN)
    #endif
  }
}
