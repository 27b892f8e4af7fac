import Foundation
import XCTest
@testable import Cochlea

/// WAV decoding and its errors.
final class WAVAudioTests: XCTestCase {
  func testRoundTripOf16BitPCM() throws {
    let samples: [Float] = (0..<480).map { Float(sin(Double($0) * 0.1) * 0.5) }
    let decoded = try WAVAudio.decode(WAVAudio(rate: 48_000, samples: samples).encoded(), name: "t")
    XCTAssertEqual(decoded.rate, 48_000)
    XCTAssertEqual(decoded.samples.count, 480)
    for (a, b) in zip(decoded.samples, samples) { XCTAssertEqual(a, b, accuracy: 1.0 / 32_768) }
  }

  func testStreamedDataSizeLongerThanFileIsReadToTheEnd() throws {
    // espeak-ng --stdout writes 0x7ffff000 as the data size.
    var data = WAVAudio(rate: 22_050, samples: [0.25, -0.25, 0.5]).encoded()
    data.replaceSubrange(40..<44, with: [0x00, 0xF0, 0xFF, 0x7F])
    XCTAssertEqual(try WAVAudio.decode(data, name: "t").samples, [0.25, -0.25, 0.5])
  }

  func testErrorsNameTheProblem() {
    XCTAssertThrowsError(try WAVAudio.decode(Data("hello, not audio".utf8), name: "a.txt")) {
      XCTAssertEqual($0 as? WAVError, .notWAV(file: "a.txt"))
      XCTAssertTrue("\($0)".contains("a.txt"))
    }
    let header = WAVAudio(rate: 48_000, samples: []).encoded()
    XCTAssertThrowsError(try WAVAudio.decode(header, name: "e.wav")) {
      XCTAssertEqual($0 as? WAVError, .emptyAudio(file: "e.wav"))
    }
    var eightBit = WAVAudio(rate: 48_000, samples: [0.1, 0.2]).encoded()
    eightBit[34] = 8  // bits per sample
    XCTAssertThrowsError(try WAVAudio.decode(eightBit, name: "b.wav")) {
      guard case .unsupportedFormat(let file, let detail)? = $0 as? WAVError else { return XCTFail("\($0)") }
      XCTAssertEqual(file, "b.wav")
      XCTAssertTrue(detail.contains("8 bits"))
    }
    let cut = WAVAudio(rate: 48_000, samples: [0.1]).encoded().prefix(20)
    XCTAssertThrowsError(try WAVAudio.decode(Data(cut), name: "c.wav")) {
      XCTAssertEqual($0 as? WAVError, .truncated(file: "c.wav", chunk: "fmt "))
    }
    XCTAssertThrowsError(try WAVAudio.read(URL(fileURLWithPath: "/nonexistent/x.wav"))) {
      guard case .unreadable(let file, let detail)? = $0 as? WAVError else { return XCTFail("\($0)") }
      XCTAssertEqual(file, "/nonexistent/x.wav")
      XCTAssertEqual(detail, "no such file or directory")  // the reason, not Foundation's error dump
    }
    XCTAssertTrue(WAVError.wrongSampleRate(file: "w.wav", expected: 48_000, found: 22_050).description.contains("22050"))
  }
}
