import Foundation
import Storage
import XCTest

/// Bag files: every message's topic, time and bytes survive a round trip and h5py reads them;
/// files that are not bags, or are broken, are errors naming the file.
final class BagFileTests: XCTestCase {
  let bag = Bag(
    messages: [
      BagMessage(topic: "r4ncl/spikes/mic", timeNs: 1_700_000_000_000_000_000, payload: [8, 1, 0, 255]),
      BagMessage(topic: "r4ncl/pred", timeNs: 1_700_000_000_250_000_000, payload: []),
      BagMessage(topic: "r4ncl/spikes/mic", timeNs: 1_700_000_000_500_000_000, payload: Array(0...200)),
    ],
    types: ["r4ncl/spikes/mic": "r4ncl.v1.SpikeSample", "r4ncl/pred": "r4ncl.v1.Prediction"])

  func testARoundTripKeepsEveryMessageInOrder() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("run.bag.h5")
    try BagFile.write(bag, to: url)
    let back = try BagFile.read(url)
    XCTAssertEqual(back, bag)
    XCTAssertEqual(back.topics, ["r4ncl/spikes/mic", "r4ncl/pred"])
    XCTAssertEqual(back.duration, 0.5, accuracy: 1e-9)
  }

  func testH5pyReadsTopicsTimesAndPayloads() throws {
    try requireH5py()
    let url = try makeTemporaryDirectory(self).appendingPathComponent("run.bag.h5")
    try BagFile.write(bag, to: url)
    let script = """
      import h5py, sys
      with h5py.File(sys.argv[1], 'r') as f:
          assert f.attrs['format'] == 'r4ncl-bag', f.attrs['format']
          topics = [t.decode() if isinstance(t, bytes) else t for t in f['topics'][:]]
          for i, t in enumerate(f['messages/topic'][:]):
              print(topics[t], f['messages/time_ns'][i], bytes(f['messages/payload'][i]).hex())
      """
    let result = try runPython(script, [url.path])
    XCTAssertEqual(result.status, 0, result.err)
    XCTAssertEqual(result.out.split(separator: "\n"), [
      "r4ncl/spikes/mic 1700000000000000000 080100ff",
      "r4ncl/pred 1700000000250000000 ",
      "r4ncl/spikes/mic 1700000000500000000 " + Array(UInt8(0)...200).map { String(format: "%02x", $0) }.joined(),
    ])
  }

  func testAFileThatIsNotABagIsRefusedByName() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("other.h5")
    try HDF5Library.serialized {
      let f = try HDF5File.create(url)
      try f.write("x", [Float(1)])
      try f.close()
    }
    XCTAssertThrowsError(try BagFile.read(url)) {
      XCTAssertEqual("\($0)", "\(url.path): not an r4ncl bag (format attribute absent; `r4ncl bag record` writes bags)")
    }
  }

  func testABagWithAMissingColumnIsMalformed() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("broken.h5")
    try HDF5Library.serialized {
      let f = try HDF5File.create(url)
      try f.setAttribute("format", .string(BagFile.format))
      try f.writeVariableStrings("topics", ["a"])
      try f.writeVariableStrings("types", [""])
      try f.close()
    }
    XCTAssertThrowsError(try BagFile.read(url)) {
      XCTAssertEqual("\($0)", "\(url.path): malformed bag: dataset 'messages/topic' is missing")
    }
  }

  /// HDF5 strings end at a NUL: a file listing one topic twice is refused, not a crash.
  func testATopicListedTwiceIsMalformed() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("twice.h5")
    try HDF5Library.serialized {
      let f = try HDF5File.create(url)
      try f.setAttribute("format", .string(BagFile.format))
      try f.writeVariableStrings("topics", ["a", "a"])
      try f.writeVariableStrings("types", ["", ""])
      _ = try f.createGroup("messages")
      try f.write("messages/topic", [Int32(0), 1])
      try f.write("messages/time_ns", [Int64(0), 1])
      try f.writeRagged("messages/payload", [[UInt8(1)], [2]])
      try f.close()
    }
    XCTAssertThrowsError(try BagFile.read(url)) {
      XCTAssertEqual("\($0)", "\(url.path): malformed bag: topic 'a' is listed twice")
    }
  }

  func testTheDurationOfExtremeTimesDoesNotTrap() {
    let bag = Bag(messages: [
      BagMessage(topic: "a", timeNs: .min, payload: []), BagMessage(topic: "a", timeNs: .max, payload: []),
    ])
    XCTAssertEqual(bag.duration, 18_446_744_073.709553, accuracy: 1e-3)
  }

  func testATruncatedBagIsAnErrorNamingTheFile() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("cut.h5")
    try BagFile.write(bag, to: url)
    let data = try Data(contentsOf: url)
    try data.prefix(data.count / 2).write(to: url)
    XCTAssertThrowsError(try BagFile.read(url)) { XCTAssertTrue("\($0)".contains(url.path), "\($0)") }
  }
}
