import Foundation
import Learner
import Node
import Proto

extension NodeBenchCommand {
  /// What one sample costs on the node's path, on this thread with no sockets: decode,
  /// validate, convert, classify (bin + forward), encode the prediction, in CPU time of this
  /// thread (best of 5 passes over up to 200 samples), so other processes on a shared machine
  /// do not inflate it.
  func printPathCosts(_ model: SpikingClassifier, _ samples: [SpikeSample], channelCount: Int) throws {
    let wires: [[UInt8]] = try samples.prefix(200).enumerated().map {
      try R4ncl_V1_SpikeSample($0.element, sensor: "cost", sequence: UInt64($0.offset + 1), channelCount: channelCount).serializedBytes()
    }
    var limits = ValidationLimits()
    limits.channelCount = channelCount
    let validator = SpikeSampleValidator(limits: limits)
    var best = [Double](repeating: .infinity, count: 5)
    for _ in 0..<5 {
      var spent = [Double](repeating: 0, count: 5)
      for bytes in wires {
        var t = CPUClock.thread()
        func lap(_ i: Int) {
          let now = CPUClock.thread()
          spent[i] += now - t
          t = now
        }
        guard case .success(let message) = WireDecoder.decode(R4ncl_V1_SpikeSample.self, from: bytes, maxBytes: limits.maxPayloadBytes)
        else { throw CommandFailure("a benchmark sample does not decode") }
        lap(0)
        guard validator.problem(in: message, topicSensor: "cost") == nil else { throw CommandFailure("a benchmark sample is invalid") }
        lap(1)
        let sample = SpikeSample(message)
        lap(2)
        var prediction = R4ncl_V1_Prediction()
        prediction.scores = model.scores(sample)
        lap(3)
        let encoded: [UInt8] = try prediction.serializedBytes()
        precondition(!encoded.isEmpty)
        lap(4)
      }
      for i in 0..<5 { best[i] = min(best[i], spent[i] / Double(wires.count)) }
    }
    let events = samples.prefix(200).reduce(0) { $0 + $1.eventCount } / max(1, min(200, samples.count))
    let names = ["decode", "validate", "convert", "classify", "encode"]
    print("node path per sample (\(events) events, thread CPU time, best of 5 passes, µs): "
      + zip(names, best).map { "\($0) \(String(format: "%.1f", $1 * 1e6))" }.joined(separator: ", ")
      + String(format: "; total %.1f", best.reduce(0, +) * 1e6))
  }
}
