import XCTest
@testable import Learner
@testable import Storage

/// The fixture that `r4ncl synth` made (Tests/CochleaTests/Fixtures) reads back through the SHD
/// reader with the layout the engine expects.
final class SynthFixtureTests: XCTestCase {
  private func fixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("CochleaTests/Fixtures/\(name).h5")
  }

  func testSynthesisedFixtureReadsAsSHD() throws {
    for (name, minimum) in [("shd_fixture_train", 40), ("shd_fixture_test", 20)] {
      let (dataset, metadata) = try SHDFile.readWithMetadata(fixture(name))
      XCTAssertEqual(dataset.count, minimum, name)
      XCTAssertEqual(dataset.channelCount, 700)
      XCTAssertEqual(dataset.classNames.count, 20)
      XCTAssertEqual(dataset.classNames.first, "zero")
      XCTAssertEqual(Set(dataset.samples.compactMap(\.label)), Set(0..<20), "every class present in \(name)")
      for sample in dataset.samples {
        XCTAssertGreaterThan(sample.eventCount, 100, "a spoken word makes spikes")
        XCTAssertTrue(zip(sample.times, sample.times.dropFirst()).allSatisfy { $0 <= $1 }, "times ascending")
        XCTAssertTrue(sample.units.allSatisfy { $0 < 700 })
        XCTAssertNotNil(sample.speaker)
      }
      XCTAssertTrue(metadata.extra.keys.contains { $0.hasPrefix("meta_info") }, "meta_info kept: \(metadata.extra.keys.sorted())")
      XCTAssertFalse(metadata.attributes.isEmpty, "file attributes kept")
    }
    let train = try SHDFile.read(fixture("shd_fixture_train"))
    let test = try SHDFile.read(fixture("shd_fixture_test"))
    let trainSpeakers = Set(train.samples.compactMap(\.speaker))
    let testSpeakers = Set(test.samples.compactMap(\.speaker))
    XCTAssertTrue(trainSpeakers.isDisjoint(with: testSpeakers), "speakers disjoint between splits")
  }
}
