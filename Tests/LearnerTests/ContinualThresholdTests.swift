import XCTest
@testable import Learner

final class ContinualThresholdTests: XCTestCase {
  let settings = AdaptiveThresholdSettings(enabled: true, rate: 0.1, lower: 0.5, upper: 1.5)

  func testThresholdFollowsRateError() {
    let a = AdaptiveThreshold(settings: settings, targetRates: [0.1, 0.1])
    let up = a.updated(thresholds: [1, 1], rates: [0.2, 0.05], adapt: [true, true])
    XCTAssertEqual(up[0], 1.1, accuracy: 1e-6)  // twice the target: +rate
    XCTAssertEqual(up[1], 0.95, accuracy: 1e-6)  // half the target: -rate/2
    let frozen = a.updated(thresholds: [1, 1], rates: [0.2, 0.2], adapt: [false, true])
    XCTAssertEqual(frozen[0], 1)
    let clamped = a.updated(thresholds: [1.45, 0.52], rates: [1.0, 0.0], adapt: [true, true])
    XCTAssertEqual(clamped, [1.5, 0.5])
    var off = settings
    off.enabled = false
    XCTAssertEqual(AdaptiveThreshold(settings: off, targetRates: [0.1, 0.1]).updated(thresholds: [1, 1], rates: [1, 1], adapt: [true, true]), [1, 1])
  }

  /// On a real network: doubling the input weights raises hidden-1's firing rate above the
  /// rate it had before, and the controller raises that layer's threshold; repeated batches
  /// bring the rate back toward the target.
  func testThresholdMovesTowardTargetOnSyntheticRateChange() throws {
    let data = ContinualFixture.data(classes: 4, perClass: 8)
    let s = try ContinualFixture.settings("replay4ncl")
    var net = try Network(config: s.networkConfig(inputs: 32, classes: 4))
    var w = try net.parameter("W1")
    for i in w.values.indices { w.values[i] *= 3 }
    try net.setParameter("W1", w)
    let binned = try data.trainBinned(timesteps: 20, maxTime: ContinualFixture.maxTime)
    let runner = NetworkRunner(threads: 1)
    let target = try PretrainPhase(settings: s, oldClasses: []).layerRates(net, samples: binned, runner: runner)
    XCTAssertGreaterThan(target[0], 0)
    for i in w.values.indices { w.values[i] *= 2 }
    try net.setParameter("W1", w)
    let ctl = AdaptiveThreshold(settings: AdaptiveThresholdSettings(enabled: true, rate: 0.05, lower: 0.2, upper: 5), targetRates: target.map { $0 })
    _ = try runner.logits(net, .binned(binned))
    let raised = try XCTUnwrap(runner.lastSpikeRates(net)[0])
    XCTAssertGreaterThan(raised, target[0])
    var thr = net.thresholds
    for _ in 0..<30 {
      _ = try runner.logits(net, .binned(binned))
      thr = ctl.updated(thresholds: thr, rates: runner.lastSpikeRates(net), adapt: [true, false])
      net.thresholds = thr
    }
    XCTAssertGreaterThan(thr[0], 1)
    XCTAssertEqual(thr[1], 1)
    _ = try runner.logits(net, .binned(binned))
    let after = try XCTUnwrap(runner.lastSpikeRates(net)[0])
    XCTAssertLessThan(abs(after - target[0]), abs(raised - target[0]))
  }

  func testKnobsParseAndRejectBadValues() throws {
    var s = try ContinualSettings.preset("replay4ncl")
    try s.set("learn_thresholds", "0.7")
    XCTAssertEqual(s.learnThresholds, [0.7, 0.7, 0.7])
    try s.set("learn-thresholds", "[0.8, 0.9, 1.0]")
    XCTAssertEqual(s.learnThresholds, [0.8, 0.9, 1.0])
    try s.set("timesteps", "60")
    XCTAssertEqual(s.pretrainTimesteps, 60)
    XCTAssertEqual(s.learnTimesteps, 60)
    try s.set("adaptive", "off")
    XCTAssertFalse(s.adaptiveThreshold.enabled)
    XCTAssertThrowsError(try s.set("depth", "two"))
    XCTAssertThrowsError(try s.set("colour", "red")) { XCTAssertTrue("\($0)".contains("colour")) }
    s.depth = 7
    XCTAssertThrowsError(try s.validate()) { XCTAssertTrue("\($0)".contains("depth")) }
    XCTAssertThrowsError(try ContinualSettings.preset("ewc"))
  }

  /// A bad codec name fails validation (before pretraining), not the prepare phase after it.
  func testSettingsValidationNamesABadCodec() throws {
    var s = try ContinualSettings.preset("replay4ncl")
    for good in ["float32", "raw", "bitpack", "events", "auto", " Orpool:3 "] {
      s.codec = good
      XCTAssertNoThrow(try s.validate(), good)
    }
    s.codec = "zip"
    XCTAssertThrowsError(try s.validate()) {
      XCTAssertEqual($0 as? ContinualError, .invalidSetting(field: "codec", reason: "must be float32, raw, bitpack, events, auto or orpool:w, got 'zip'"))
    }
    s.codec = "orpool:0"
    XCTAssertThrowsError(try s.validate()) {
      XCTAssertEqual($0 as? ContinualError, .invalidSetting(field: "codec", reason: "\(ReplayCodecError.invalidWindow("orpool:0"))"))
    }
    XCTAssertThrowsError(try LatentCodec.named("zip")) { XCTAssertEqual($0 as? ContinualError, .unknownCodec("zip")) }
    XCTAssertThrowsError(try LatentCodec.named("orpool:0")) { XCTAssertEqual($0 as? ReplayCodecError, .invalidWindow("orpool:0")) }
  }

  func testFloat32CodecRoundTripsAndStoreCountsBytes() throws {
    let l = LatentSample(depth: 1, timesteps: 3, width: 2, values: [0, 1, 1, 0, 0, 1], label: 2)
    let c = LatentCodec.float32
    XCTAssertEqual(try c.decode(c.encode(l)), l)
    var store = ReplayStore(codec: c, depth: 1, timesteps: 3)
    try store.add([l, l])
    XCTAssertEqual(store.totalBytes, 2 * (16 + 24))
    XCTAssertEqual(store.classes, [2])
    XCTAssertThrowsError(try c.decode([1, 2, 3]))
    let f = store.flattened()
    XCTAssertEqual(f.offsets, [0, 40, 80])
    XCTAssertEqual(f.labels, [2, 2])
  }

  func testFloat32CodecThrowsTheReplayCodecErrorsOfTheOtherCodecs() throws {
    let c = LatentCodec.float32
    XCTAssertThrowsError(try c.decode([1, 2, 3])) {
      XCTAssertEqual($0 as? ReplayCodecError, .truncated(codec: "float32", offset: 3, needed: 13))
    }
    var bytes = try c.encode(LatentSample(depth: 1, timesteps: 3, width: 2, values: [0, 1, 1, 0, 0, 1], label: 2))
    bytes.removeLast()
    XCTAssertThrowsError(try c.decode(bytes)) {
      guard case .invalidHeader(codec: "float32", _)? = $0 as? ReplayCodecError else { return XCTFail("\($0)") }
    }
    // Currents (depth 0) have no event form: the same error value from float32 and from raw.
    let currents = LatentSample(depth: 0, timesteps: 2, width: 2, values: [0.5, -1, 0, 2], label: 1)
    let raw = try LatentCodec.named("raw")
    for codec in [c, raw] {
      XCTAssertThrowsError(try codec.decodeSpikes(codec.encode(currents))) {
        XCTAssertEqual($0 as? ReplayCodecError, .invalidHeader(codec: codec.name, reason: "depth 0 holds currents, not spikes"))
      }
    }
  }
}
