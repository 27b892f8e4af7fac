/// Maps continual summaries onto the Report module's `ContinualReport` (report.json,
/// report.md, accuracy and cost SVGs).
extension MethodSummary {
  /// This method as a report entry (accuracies averaged over runs; sample counts not kept).
  public var reportResult: MethodReport {
    func split(_ o: Double?, _ n: Double?, _ a: Double?) -> AccuracySplit {
      AccuracySplit(old: o, new: n, all: a, oldCount: 0, newCount: 0, allCount: 0)
    }
    let epochs = curveOld.indices.map { e in
      EpochReport(epoch: e + 1, accuracy: split(curveOld[e], curveNew[e], curveAll[e]), seconds: e < curveSeconds.count ? curveSeconds[e] : nil)
    }
    let phases = [
      PhaseTiming(phase: "pretrain", seconds: pretrainSeconds),
      PhaseTiming(phase: "prepare", seconds: prepareSeconds),
      PhaseTiming(phase: "learn", seconds: learnSeconds, epochs: curveSeconds.enumerated().map { EpochTiming(epoch: $0 + 1, seconds: $1) }),
    ]
    return MethodReport(
      method: method, settings: knobs, pretrained: split(pretrainedOld, nil, nil), epochs: epochs, phases: phases,
      latencySecondsPerSample: inferenceMilliseconds / 1000, replayBytes: replayBytes > 0 ? Int(replayBytes.rounded()) : nil,
      replaySamples: replayBytes > 0 ? replaySamples : nil,
      energy: EnergyReport(counts: OperationCounts(accumulates: Int(learnOps.accumulates), macs: Int(learnOps.macs))),
      peakRSSBytes: peakRSSBytes)
  }
}

extension ContinualSummary {
  /// The Report module's report of this comparison, costs relative to `baseline`.
  public func report(title: String, baseline: String = "spikinglr", notes: [String] = []) -> ContinualReport {
    let base = methods.contains { $0.method == baseline } ? baseline : nil
    return ContinualReport(
      title: title, scenario: scenario + (newClasses.isEmpty ? "" : " (new class \(newClasses.map(String.init).joined(separator: ",")))"),
      baseline: base, methods: methods.map(\.reportResult), notes: notes + ratioLines())
  }
}
