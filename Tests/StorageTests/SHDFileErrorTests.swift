import Learner
import XCTest

@testable import Storage

/// Every way an SHD file can be wrong gives its own error naming the file.
final class SHDFileErrorTests: XCTestCase {
  private var directory: URL!

  override func setUpWithError() throws {
    directory = try makeTemporaryDirectory(self)
  }

  /// A file in SHD layout written piece by piece, so a test can break one piece.
  private func writeRaw(
    _ name: String, omit: Set<String> = [], times: [[Float]] = [[0.1, 0.2], [0.3]],
    units: [[UInt16]] = [[1, 2], [3]], labels: [UInt16] = [0, 1], keys: [String] = ["a", "b"],
    extra: (HDF5File) throws -> Void = { _ in }
  ) throws -> URL {
    let url = directory.appendingPathComponent(name)
    let file = try HDF5File.create(url)
    if !omit.contains("spikes/times") { try file.writeRaggedFloat16("spikes/times", times) }
    if !omit.contains("spikes/units") { try file.writeRagged("spikes/units", units) }
    if !omit.contains("labels") { try file.write("labels", labels) }
    if !omit.contains("extra/keys") { try file.writeStrings("extra/keys", keys) }
    try extra(file)
    try file.close()
    return url
  }

  private func assertReadFails(_ url: URL, _ expected: SHDFileError, line: UInt = #line) {
    XCTAssertThrowsError(try SHDFile.read(url), line: line) { error in
      XCTAssertEqual(error as? SHDFileError, expected, line: line)
      XCTAssertTrue("\(error)".hasPrefix(url.path), "message must name the file: \(error)", line: line)
    }
  }

  func testAValidRawFileReads() throws {
    let dataset = try SHDFile.read(try writeRaw("ok.h5"))
    XCTAssertEqual(dataset.count, 2)
    XCTAssertEqual(dataset.samples[1].units, [3])
  }

  func testMissingFile() {
    let url = directory.appendingPathComponent("absent.h5")
    assertReadFails(url, .fileNotFound(file: url.path))
  }

  /// A FIFO is refused before HDF5 reads it: reading one that nobody writes to blocks for ever
  /// (a node's LoadCheckpoint of a FIFO stopped its I/O thread). The test keeps the FIFO open for
  /// writing with some bytes in it, so a regression fails the assertion instead of hanging.
  func testAFIFOIsNotOpened() throws {
    let url = directory.appendingPathComponent("pipe.h5")
    XCTAssertEqual(mkfifo(url.path, 0o600), 0)
    let writer = open(url.path, O_RDWR | O_NONBLOCK)
    XCTAssertGreaterThanOrEqual(writer, 0)
    defer { close(writer) }
    _ = [UInt8](repeating: 0x5A, count: 4096).withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
    assertReadFails(url, .unreadable(file: url.path, detail: "not a regular file (a FIFO, socket or device)"))
  }

  func testGarbageBytesAreNotHDF5() throws {
    let url = directory.appendingPathComponent("garbage.h5")
    try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: url)
    assertReadFails(url, .notHDF5(file: url.path))
  }

  func testTruncatedFile() throws {
    let url = directory.appendingPathComponent("truncated.h5")
    var generator = SyntheticSpikes()
    generator.samplesPerClass = 4
    try SHDFile.write(generator.make(), to: url)
    let bytes = try Data(contentsOf: url)
    try bytes.prefix(bytes.count / 2).write(to: url)
    XCTAssertThrowsError(try SHDFile.read(url)) { error in
      guard case .truncated(let file, _) = error as? SHDFileError else { return XCTFail("\(error)") }
      XCTAssertEqual(file, url.path)
    }
  }

  func testEachMissingRequiredDataset() throws {
    for dataset in ["spikes/times", "spikes/units", "labels"] {
      let url = try writeRaw("no-\(dataset.replacingOccurrences(of: "/", with: "-")).h5", omit: [dataset])
      assertReadFails(url, .missingDataset(file: url.path, dataset: dataset))
    }
  }

  func testFloatLabelsAreTheWrongType() throws {
    let url = try writeRaw("float-labels.h5", omit: ["labels"]) { try $0.write("labels", [Float(0), 1]) }
    assertReadFails(url, .wrongType(file: url.path, dataset: "labels", expected: "an integer type", found: "float32"))
  }

  func testNonRaggedTimesAreTheWrongType() throws {
    let url = try writeRaw("flat-times.h5", omit: ["spikes/times"]) { try $0.write("spikes/times", [Float(0.1), 0.2]) }
    assertReadFails(url, .wrongType(file: url.path, dataset: "spikes/times", expected: "vlen<float>", found: "float32"))
  }

  func testUnit700IsOutOfRange() throws {
    let url = try writeRaw("unit700.h5", units: [[1, 2], [700]])
    assertReadFails(url, .unitOutOfRange(file: url.path, sample: 1, unit: 700, channelCount: 700))
  }

  func testNegativeUnitInASignedColumnIsOutOfRange() throws {
    let url = try writeRaw("negative.h5", omit: ["spikes/units"]) { try $0.writeRagged("spikes/units", [[Int(1), -1], [3]]) }
    assertReadFails(url, .unitOutOfRange(file: url.path, sample: 0, unit: -1, channelCount: 700))
  }

  func testLabelCountDiffersFromSampleCount() throws {
    let url = try writeRaw("labels-short.h5", labels: [0])
    assertReadFails(url, .lengthMismatch(file: url.path, dataset: "labels", expected: 2, found: 1))
  }

  func testUnitsRowCountDiffersFromTimes() throws {
    let url = try writeRaw("units-long.h5", units: [[1, 2], [3], [4]])
    assertReadFails(url, .lengthMismatch(file: url.path, dataset: "spikes/units", expected: 2, found: 3))
  }

  func testSampleWithMoreTimesThanUnits() throws {
    let url = try writeRaw("events.h5", units: [[1, 2], []])
    assertReadFails(url, .eventCountMismatch(file: url.path, sample: 1, times: 1, units: 0))
  }

  func testSpeakerColumnOfWrongLength() throws {
    let url = try writeRaw("speaker.h5") { try $0.write("extra/speaker", [UInt16(1), 2, 3]) }
    assertReadFails(url, .lengthMismatch(file: url.path, dataset: "extra/speaker", expected: 2, found: 3))
  }

  func testLabelWithoutClassName() throws {
    let url = try writeRaw("label.h5", labels: [0, 2])
    assertReadFails(url, .labelOutOfRange(file: url.path, sample: 1, label: 2, classCount: 2))
  }

  func testNegativeTime() throws {
    let url = try writeRaw("time.h5", times: [[0.1, -0.5], [0.3]])
    assertReadFails(url, .invalidTime(file: url.path, sample: 0, time: -0.5))
  }

  func testTwoDimensionalLabels() throws {
    let url = try writeRaw("labels2d.h5", omit: ["labels"]) { try $0.write("labels", [UInt16(0), 1], shape: [1, 2]) }
    assertReadFails(url, .wrongShape(file: url.path, dataset: "labels", expected: "1-D", found: [1, 2]))
  }

  func testWriterRejectsBadSamplesAndLeavesNoFile() throws {
    let url = directory.appendingPathComponent("w.h5")
    let good = SpikeSample(times: [0.1], units: [1], label: 0, speaker: 1)
    let cases: [(SpikeDataset, SHDFileError)] = [
      (SpikeDataset(samples: [good, SpikeSample(times: [0.1], units: [700], label: 0, speaker: 1)], classNames: ["a"]),
       .unitOutOfRange(file: url.path, sample: 1, unit: 700, channelCount: 700)),
      (SpikeDataset(samples: [good, SpikeSample(times: [0.1], units: [1], speaker: 1)], classNames: ["a"]),
       .unlabeledSample(file: url.path, sample: 1)),
      (SpikeDataset(samples: [good, SpikeSample(times: [0.1], units: [1], label: 0)], classNames: ["a"]),
       .missingSpeaker(file: url.path, sample: 1)),
      (SpikeDataset(samples: [SpikeSample(times: [0.1], units: [1], label: 70000)], classNames: ["a"]),
       .valueTooLarge(file: url.path, dataset: "labels", sample: 0, value: 70000)),
      (SpikeDataset(samples: [SpikeSample(times: [.nan], units: [1], label: 0)], classNames: ["a"]),
       .invalidTime(file: url.path, sample: 0, time: .nan)),
    ]
    for (dataset, expected) in cases {
      XCTAssertThrowsError(try SHDFile.write(dataset, to: url)) { error in
        if case .invalidTime = expected {
          guard case .invalidTime(_, 0, let time) = error as? SHDFileError, time.isNaN else { return XCTFail("\(error)") }
        } else {
          XCTAssertEqual(error as? SHDFileError, expected)
        }
      }
    }
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
  }

  func testWritingIntoAMissingDirectoryFails() {
    let url = directory.appendingPathComponent("missing/x.h5")
    XCTAssertThrowsError(try SHDFile.write(SyntheticSpikes().make(), to: url)) { error in
      guard case .writeFailed(let file, _) = error as? SHDFileError else { return XCTFail("\(error)") }
      XCTAssertEqual(file, url.path)
    }
  }
}
