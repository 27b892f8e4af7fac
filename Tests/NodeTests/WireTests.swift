import Learner
import Proto
import SwiftProtobuf
import XCTest

@testable import Node

final class TopicsTests: XCTestCase {
  func testTopicsUnderANamespace() {
    let topics = Topics(namespace: "/drone1/")
    XCTAssertEqual(topics.namespace, "drone1")
    XCTAssertEqual(topics.spikes(sensor: "mic0"), "drone1/spikes/mic0")
    XCTAssertEqual(topics.labels, "drone1/labels")
    XCTAssertEqual(topics.predictions, "drone1/pred")
    XCTAssertEqual(topics.checkpoints, "drone1/ckpt")
    XCTAssertEqual(topics.replay, "drone1/replay")
    XCTAssertEqual(topics.status, "drone1/status")
    XCTAssertEqual(topics.sensor(ofSpikeTopic: "drone1/spikes/mic0"), "mic0")
    XCTAssertNil(topics.sensor(ofSpikeTopic: "drone2/spikes/mic0"))
    XCTAssertNil(topics.sensor(ofSpikeTopic: "drone1/spikes/"))
    XCTAssertEqual(Topics(namespace: "").status, "status")
  }
}

final class WireDecoderTests: XCTestCase {
  let limits = ValidationLimits(channelCount: 8, maxPayloadBytes: 1000, maxEvents: 50)

  func sample(times: [Float] = [0, 0.1, 0.2], units: [UInt32] = [1, 7, 0], channels: UInt32 = 8) -> R4ncl_V1_SpikeSample {
    var s = R4ncl_V1_SpikeSample()
    s.sensor = "mic"
    s.sequence = 3
    s.times = times
    s.units = units
    s.channelCount = channels
    return s
  }

  func testValidSampleDecodes() throws {
    let bytes: [UInt8] = try sample().serializedBytes()
    let decoded = try WireDecoder.decode(R4ncl_V1_SpikeSample.self, from: bytes, maxBytes: 1000).get()
    XCTAssertEqual(decoded, sample())
  }

  func testRandomBytesAreNotProtobuf() {
    let garbage: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x12, 0x99]
    XCTAssertEqual(rejection(garbage), .notProtobuf)
    XCTAssertEqual(rejection(Array("hello, world".utf8)), .notProtobuf)
  }

  func testAnotherMessageTypeIsRecognisedAsWrongType() throws {
    var prediction = R4ncl_V1_Prediction()
    prediction.sensor = "mic"
    prediction.classID = 4
    prediction.className = "four"
    prediction.scores = [0.1, 0.9]
    XCTAssertEqual(rejection(try prediction.serializedBytes()), .wrongMessageType)
    var status = R4ncl_V1_NodeStatus()
    status.node = "ns"
    status.modelVersion = 3
    status.lastError = "x"
    XCTAssertEqual(rejection(try status.serializedBytes()), .wrongMessageType)
  }

  func testOversizedPayloadIsRejectedBeforeDecoding() throws {
    let big: [UInt8] = try sample(times: [Float](repeating: 0, count: 300), units: [UInt32](repeating: 0, count: 300)).serializedBytes()
    XCTAssertGreaterThan(big.count, 1000)
    XCTAssertEqual(rejection(big), .oversized)
  }

  private func rejection(_ bytes: [UInt8]) -> RejectionReason? {
    if case .failure(let reason) = WireDecoder.decode(R4ncl_V1_SpikeSample.self, from: bytes, maxBytes: 1000) {
      return reason
    }
    return nil
  }
}

final class SpikeSampleValidatorTests: XCTestCase {
  let validator = SpikeSampleValidator(limits: ValidationLimits(channelCount: 8, maxEvents: 5))

  func make(_ times: [Float], _ units: [UInt32], channels: UInt32 = 8, sensor: String = "") -> R4ncl_V1_SpikeSample {
    var s = R4ncl_V1_SpikeSample()
    s.sensor = sensor
    s.times = times
    s.units = units
    s.channelCount = channels
    return s
  }

  func testEachProblemHasItsReason() {
    XCTAssertNil(validator.problem(in: make([0, 0, 0.5], [0, 7, 3])))
    XCTAssertEqual(validator.problem(in: make([0, 0.1], [0, 8])), .unitOutOfRange)
    XCTAssertEqual(validator.problem(in: make([0.2, 0.1], [0, 1])), .timesUnsorted)
    XCTAssertEqual(validator.problem(in: make([-0.1, 0.1], [0, 1])), .timeNegative)
    XCTAssertEqual(validator.problem(in: make([0, .nan], [0, 1])), .timeNotFinite)
    XCTAssertEqual(validator.problem(in: make([0, .infinity], [0, 1])), .timeNotFinite)
    XCTAssertEqual(validator.problem(in: make([0, 0.1], [0])), .lengthMismatch)
    XCTAssertEqual(validator.problem(in: make([0], [0], channels: 700)), .channelCountMismatch)
    XCTAssertEqual(validator.problem(in: make([], [])), .emptySample)
    XCTAssertEqual(validator.problem(in: make([0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0])), .oversized)
    XCTAssertEqual(validator.problem(in: make([0], [0], sensor: "b"), topicSensor: "a"), .sensorMismatch)
    XCTAssertNil(validator.problem(in: make([0], [0], sensor: "a"), topicSensor: "a"))
  }

  /// With the model's binning, a sample none of whose events lies in its window is refused
  /// (say, times in clock seconds); one event inside is enough. Without a binning, not checked.
  func testASampleOutsideTheModelsWindowIsRefused() {
    var limits = validator.limits
    limits.binning = SpikeBinning(timesteps: 10, maxTime: 1.4)
    let windowed = SpikeSampleValidator(limits: limits)
    XCTAssertEqual(windowed.problem(in: make([1.5, 2], [0, 1])), .outsideWindow)
    XCTAssertEqual(windowed.problem(in: make([1_700_000_000], [0])), .outsideWindow)
    XCTAssertNil(windowed.problem(in: make([0.1, 1_700_000_000], [0, 1])))
    XCTAssertNil(validator.problem(in: make([1_700_000_000], [0])))
  }

  /// Sensor names are kept (gap counting) and echoed in predictions: a payload-sized one is refused.
  func testASensorNameLongerThanTheLimitIsRefused() {
    let longest = String(repeating: "s", count: 256)
    XCTAssertNil(validator.problem(in: make([0], [0]), topicSensor: longest))
    XCTAssertEqual(validator.problem(in: make([0], [0]), topicSensor: longest + "s"), .nameTooLong)
    XCTAssertEqual(validator.problem(in: make([0], [0], sensor: longest + "s")), .nameTooLong)
  }

  func testConversionToTheEngineSampleKeepsEventsAndLabel() {
    var wire = make([0, 0.25], [3, 5])
    wire.label = 4
    let sample = SpikeSample(wire)
    XCTAssertEqual(sample.times, [0, 0.25])
    XCTAssertEqual(sample.units, [3, 5])
    XCTAssertEqual(sample.label, 4)
    XCTAssertNil(sample.speaker)
    let back = R4ncl_V1_SpikeSample(sample, sensor: "s", sequence: 9, channelCount: 8)
    XCTAssertEqual(back.times, wire.times)
    XCTAssertEqual(back.units, wire.units)
    XCTAssertEqual(back.optionalLabel, 4)
    XCTAssertEqual(back.sequence, 9)
    XCTAssertEqual(back.channelCount, 8)
  }
}

final class LabelEventValidatorTests: XCTestCase {
  let validator = LabelEventValidator(limits: ValidationLimits(channelCount: 8, classCapacity: 4))
  let classes = ClassMap([0: "zero", 1: "one"])

  func announce(_ id: Int32, _ name: String) -> R4ncl_V1_LabelEvent {
    var event = R4ncl_V1_LabelEvent()
    var a = R4ncl_V1_ClassAnnouncement()
    a.classID = id
    a.name = name
    event.announce = a
    return event
  }

  func samples(_ id: Int32, units: [UInt32] = [1]) -> R4ncl_V1_LabelEvent {
    var event = R4ncl_V1_LabelEvent()
    var batch = R4ncl_V1_LabeledSamples()
    batch.classID = id
    var s = R4ncl_V1_SpikeSample()
    s.times = [Float](repeating: 0.1, count: units.count)
    s.units = units
    s.channelCount = 8
    batch.samples = [s]
    event.samples = batch
    return event
  }

  func testAnnouncements() {
    XCTAssertNil(validator.problem(in: announce(2, "two"), classes: classes))
    XCTAssertNil(validator.problem(in: announce(1, "one"), classes: classes), "repeat is harmless")
    XCTAssertEqual(validator.problem(in: announce(1, "uno"), classes: classes), .classConflict)
    XCTAssertEqual(validator.problem(in: announce(2, "one"), classes: classes), .classConflict)
    XCTAssertEqual(validator.problem(in: announce(2, ""), classes: classes), .classConflict)
    XCTAssertEqual(validator.problem(in: announce(4, "four"), classes: classes), .classCapacity)
    XCTAssertEqual(validator.problem(in: announce(-1, "minus"), classes: classes), .classCapacity)
    XCTAssertEqual(validator.problem(in: R4ncl_V1_LabelEvent(), classes: classes), .emptyEvent)
  }

  /// Teacher and class names are kept, logged and published in every status: at most 256 bytes.
  func testTeacherAndClassNamesLongerThanTheLimitAreRefused() {
    let longest = String(repeating: "n", count: 256)
    XCTAssertNil(validator.problem(in: announce(2, longest), classes: classes))
    XCTAssertEqual(validator.problem(in: announce(2, longest + "n"), classes: classes), .nameTooLong)
    var event = samples(1)
    event.teacher = longest
    XCTAssertNil(validator.problem(in: event, classes: classes))
    event.teacher = longest + "é"
    XCTAssertEqual(validator.problem(in: event, classes: classes), .nameTooLong)
  }

  func testSamplesAndLearnNow() {
    XCTAssertNil(validator.problem(in: samples(1), classes: classes))
    XCTAssertEqual(validator.problem(in: samples(3), classes: classes), .unknownClass)
    XCTAssertEqual(validator.problem(in: samples(9), classes: classes), .classCapacity)
    XCTAssertEqual(validator.problem(in: samples(1, units: [8]), classes: classes), .unitOutOfRange)
    var windowed = validator
    windowed.limits.binning = SpikeBinning(timesteps: 10, maxTime: 0.05)
    XCTAssertEqual(windowed.problem(in: samples(1), classes: classes), .outsideWindow, "its sample's event is at 0.1 s")
    var learn = R4ncl_V1_LabelEvent()
    learn.learnNow = R4ncl_V1_LearnNow()
    XCTAssertNil(validator.problem(in: learn, classes: classes))
    learn.learnNow.classIds = [3]
    XCTAssertEqual(validator.problem(in: learn, classes: classes), .unknownClass)
  }
}
