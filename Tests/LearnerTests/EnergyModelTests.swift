import Foundation
import XCTest
@testable import Learner

final class EnergyModelTests: XCTestCase {
  func testJoulesFromCounts() {
    let c = OperationCounts(accumulates: 1_000_000, macs: 1000)
    XCTAssertEqual(EnergyModel.horowitz45nm.joules(c), (1e6 * 0.9 + 1000 * 4.6) * 1e-12, accuracy: 1e-20)
    var counter = SynapticOperationCounter()
    counter.addAccumulates(layer: "h1", presynapticEvents: 10, fanOut: 200)
    counter.addMACs(layer: "h1", denseInputs: 3, fanOut: 5)
    counter.addStateUpdates(layer: "out", neurons: 20, steps: 40, samples: 2)
    XCTAssertEqual(counter.counts(of: "h1"), OperationCounts(accumulates: 2000, macs: 15))
    XCTAssertEqual(counter.counts(of: "out"), OperationCounts(macs: 3200))
    XCTAssertEqual(counter.total, OperationCounts(accumulates: 2000, macs: 3215))
    XCTAssertEqual(counter.layers.map(\.layer), ["h1", "out"])
    let report = counter.energy()
    XCTAssertEqual(report.estimatedJoules, (2000 * 0.9 + 3215 * 4.6) * 1e-12, accuracy: 1e-20)
    XCTAssertNil(report.measuredJoules)
  }

  /// Hand-computed counts for a 4-3-2 network with 2 classes, T = 5, one sample.
  func testForwardCountsFollowTheModel() throws {
    let shape = SpikingNetworkShape(inputs: 4, hidden: [3, 2], classes: 2)
    let act = ActivityCounts(samples: 1, timesteps: 5, inputEvents: 7, hiddenSpikes: [4, 3])
    var full = SynapticOperationCounter()
    try NetworkOperationModel.forward(shape: shape, activity: act, into: &full)
    // hidden1: W 7x3 + V 4x3 = 33 AC; state 2x3x5 = 30 MAC.
    XCTAssertEqual(full.counts(of: "hidden1"), OperationCounts(accumulates: 33, macs: 30))
    // hidden2: W 4x2 + V 3x2 = 14 AC; state 2x2x5 = 20 MAC.
    XCTAssertEqual(full.counts(of: "hidden2"), OperationCounts(accumulates: 14, macs: 20))
    // readout: 3x2 = 6 AC; state 2x2x5 = 20 MAC.
    XCTAssertEqual(full.counts(of: "readout"), OperationCounts(accumulates: 6, macs: 20))

    // Depth 0: W1's product is the replayed current itself, V1 and the state still run.
    var d0 = SynapticOperationCounter()
    try NetworkOperationModel.forward(shape: shape, activity: act, injectionDepth: 0, into: &d0)
    XCTAssertEqual(d0.counts(of: "hidden1"), OperationCounts(accumulates: 12, macs: 30))
    // Depth 1: hidden1 does not run at all.
    var d1 = SynapticOperationCounter()
    try NetworkOperationModel.forward(shape: shape, activity: act, injectionDepth: 1, into: &d1)
    XCTAssertEqual(d1.counts(of: "hidden1"), .zero)
    XCTAssertEqual(d1.counts(of: "hidden2"), full.counts(of: "hidden2"))
    XCTAssertThrowsError(try NetworkOperationModel.forward(shape: shape, activity: act, injectionDepth: 3, into: &d1))
    let bad = ActivityCounts(samples: 1, timesteps: 5, inputEvents: 7, hiddenSpikes: [4])
    XCTAssertThrowsError(try NetworkOperationModel.forward(shape: shape, activity: bad, into: &d1))
  }

  func testBackwardCountsOnlyTrainableLayers() throws {
    let shape = SpikingNetworkShape(inputs: 4, hidden: [3, 2], classes: 2)
    let act = ActivityCounts(samples: 2, timesteps: 5, inputEvents: 7, hiddenSpikes: [4, 3])
    let steps = 10
    // Depth 2: only the readout trains; no error flows into hidden2.
    var d2 = SynapticOperationCounter()
    try NetworkOperationModel.backward(shape: shape, activity: act, injectionDepth: 2, into: &d2)
    XCTAssertEqual(d2.layers.map(\.layer), ["readout"])
    XCTAssertEqual(d2.counts(of: "readout"), OperationCounts(accumulates: 6, macs: 2 * 2 * steps))
    // Depth 0: V1 trains, W1 is frozen; hidden2 trains fully and sends error into hidden1.
    var d0 = SynapticOperationCounter()
    try NetworkOperationModel.backward(shape: shape, activity: act, injectionDepth: 0, into: &d0)
    XCTAssertEqual(d0.counts(of: "hidden1"), OperationCounts(accumulates: 4 * 3, macs: 4 * 3 * steps + steps * 3 * 3))
    XCTAssertEqual(d0.counts(of: "hidden2"), OperationCounts(accumulates: 4 * 2 + 3 * 2, macs: 4 * 2 * steps + steps * 3 * 2 + steps * 2 * 2))
    XCTAssertEqual(d0.counts(of: "readout"), OperationCounts(accumulates: 6, macs: 2 * 2 * steps + steps * 2 * 2))
    // Full training also learns W1 (spike-driven gradient of 7 input events).
    var full = SynapticOperationCounter()
    try NetworkOperationModel.backward(shape: shape, activity: act, into: &full)
    XCTAssertEqual(full.counts(of: "hidden1").accumulates, 7 * 3 + 4 * 3)
  }

  /// Fewer timesteps and fewer spikes must cost less: the comparison the report makes.
  func testShorterReplayCostsLess() throws {
    let shape = SpikingNetworkShape.spikingLR
    let long = ActivityCounts(samples: 64, timesteps: 100, inputEvents: 64 * 4000, hiddenSpikes: [64 * 2000, 64 * 800, 64 * 300])
    let short = ActivityCounts(samples: 64, timesteps: 40, inputEvents: 64 * 4000, hiddenSpikes: [64 * 1200, 64 * 500, 64 * 200])
    var a = SynapticOperationCounter(), b = SynapticOperationCounter()
    try NetworkOperationModel.forward(shape: shape, activity: long, injectionDepth: 2, into: &a)
    try NetworkOperationModel.forward(shape: shape, activity: short, injectionDepth: 2, into: &b)
    XCTAssertLessThan(b.energy().estimatedJoules, a.energy().estimatedJoules)
  }

  func testRAPLDiscoveryAndWrap() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("rapl-\(UUID().uuidString)")
    let pkg = root.appendingPathComponent("powercap/intel-rapl:0")
    try FileManager.default.createDirectory(at: pkg, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    XCTAssertNil(RAPLMeter.discover(powercapRoot: root.appendingPathComponent("powercap").path, hwmonRoot: root.path + "/none"))
    try "1000\n".write(to: pkg.appendingPathComponent("energy_uj"), atomically: true, encoding: .utf8)
    try "5000\n".write(to: pkg.appendingPathComponent("max_energy_range_uj"), atomically: true, encoding: .utf8)
    try "package-0\n".write(to: pkg.appendingPathComponent("name"), atomically: true, encoding: .utf8)
    let meter = try XCTUnwrap(RAPLMeter.discover(powercapRoot: root.appendingPathComponent("powercap").path, hwmonRoot: root.path + "/none"))
    XCTAssertEqual(meter.read(), 1000)
    XCTAssertEqual(meter.source, "RAPL powercap package-0")
    XCTAssertEqual(meter.joules(from: 1000, to: 3500), 0.0025, accuracy: 1e-12)
    XCTAssertEqual(meter.joules(from: 4000, to: 500), 0.0015, accuracy: 1e-12)  // wrapped once
    // amd_energy through hwmon.
    let hw = root.appendingPathComponent("hwmon/hwmon3")
    try FileManager.default.createDirectory(at: hw, withIntermediateDirectories: true)
    try "amd_energy\n".write(to: hw.appendingPathComponent("name"), atomically: true, encoding: .utf8)
    try "Ecore000\n".write(to: hw.appendingPathComponent("energy1_label"), atomically: true, encoding: .utf8)
    try "Esocket0\n".write(to: hw.appendingPathComponent("energy2_label"), atomically: true, encoding: .utf8)
    try "42\n".write(to: hw.appendingPathComponent("energy2_input"), atomically: true, encoding: .utf8)
    let amd = try XCTUnwrap(RAPLMeter.discover(powercapRoot: root.path + "/none", hwmonRoot: root.appendingPathComponent("hwmon").path))
    XCTAssertEqual(amd.read(), 42)
    // On this machine the measurement either works or says why not; it never fails.
    let (value, energy) = RAPLMeter.measure { 7 }
    XCTAssertEqual(value, 7)
    XCTAssertFalse(energy.note.isEmpty)
  }
}
