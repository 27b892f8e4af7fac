import Learner
import XCTest

@testable import Storage

final class SyntheticSpikesTests: XCTestCase {
  func testSeededShapedAndFloat16Exact() {
    var generator = SyntheticSpikes()
    generator.classCount = 5
    generator.samplesPerClass = 3
    let dataset = generator.make()
    XCTAssertEqual(dataset, generator.make(), "same seed, same data")
    generator.seed = 2
    XCTAssertNotEqual(dataset, generator.make())

    XCTAssertEqual(dataset.count, 15)
    XCTAssertEqual(dataset.classNames, ["c0", "c1", "c2", "c3", "c4"])
    XCTAssertEqual(dataset.samples.map { $0.label! }, (0..<15).map { $0 % 5 })
    for sample in dataset.samples {
      XCTAssertGreaterThan(sample.eventCount, generator.noiseSpikes)
      XCTAssertEqual(sample.times, sample.times.sorted())
      XCTAssertTrue(sample.units.allSatisfy { Int($0) < dataset.channelCount })
      XCTAssertTrue(sample.times.allSatisfy { $0 >= 0 && $0 <= generator.duration && Float16Bits.round($0) == $0 })
    }
  }

  func testClassesAreDistinguishableByTheirChannels() {
    // Each class's anchors concentrate spikes on its own channels: a sample's channel histogram
    // is closer to its own class mean than to another class's.
    let dataset = SyntheticSpikes().make()
    func histogram(_ sample: SpikeSample) -> [Float] {
      var h = [Float](repeating: 0, count: dataset.channelCount)
      for unit in sample.units { h[Int(unit)] += 1 }
      return h
    }
    let classCount = dataset.classNames.count
    var means = [[Float]](repeating: [Float](repeating: 0, count: dataset.channelCount), count: classCount)
    for sample in dataset.samples {
      let h = histogram(sample)
      for i in h.indices { means[sample.label!][i] += h[i] }
    }
    var correct = 0
    for sample in dataset.samples {
      let h = histogram(sample)
      let scores = means.map { mean in zip(mean, h).reduce(0) { $0 + $1.0 * $1.1 } }
      if scores.firstIndex(of: scores.max()!) == sample.label { correct += 1 }
    }
    XCTAssertGreaterThan(Double(correct) / Double(dataset.count), 0.9)
  }
}
