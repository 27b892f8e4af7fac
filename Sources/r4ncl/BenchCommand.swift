import ArgumentParser
import Foundation
import Learner

/// `r4ncl bench`: training throughput (batch 1/16/64) and single-sample inference latency of the
/// reference network on SHD-shaped random input at T = 40 and 100, the dense-equivalent rate
/// against BLAS, memory, and optionally the PyTorch twin side by side and the learning-phase
/// times of a continual-learning report.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure training samples/s, inference latency p50/p99, dense-equivalent rate and memory.")

  @Option(name: .long, parsing: .upToNextOption, help: "Time steps to measure.")
  var timesteps: [Int] = [40, 100]

  @Option(name: .long, parsing: .upToNextOption, help: "Training batch sizes to measure.")
  var batches: [Int] = [1, 16, 64]

  @Option(name: .long, help: "Threads per training batch (inference uses 1).")
  var threads: Int = 2

  @Option(name: .long, help: "Minimum seconds of training per (T, batch).")
  var seconds: Seconds = 3

  @Option(name: .long, help: "Inference repetitions per T.")
  var reps: Int = 300

  @Flag(name: .long, help: "Also run Benchmarks/pytorch/bench.py --json (if torch imports) and print ratios.")
  var pytorch = false

  @Option(name: .long, help: "Path of the PyTorch benchmark script.")
  var pytorchScript = "Benchmarks/pytorch/bench.py"

  @Flag(name: .long, help: "Skip the dense-equivalent (fraction of BLAS) measurement.")
  var noPeak = false

  @Option(name: .long, help: "A report.json of `r4ncl learn`: print its learning-phase time per method.")
  var learnReport: String?

  func validate() throws {
    guard threads >= 1 else { throw ValidationError("--threads must be >= 1") }
    guard reps >= 10 else { throw ValidationError("--reps must be >= 10") }
    guard seconds >= 0 else { throw ValidationError("--seconds must be >= 0") }
    guard !timesteps.isEmpty, timesteps.allSatisfy({ $0 > 1 }) else { throw ValidationError("--timesteps must be > 1") }
    guard !batches.isEmpty, batches.allSatisfy({ $0 > 0 }) else { throw ValidationError("--batches must be positive") }
  }

  private struct Row {
    var t: Int, batch: Int, wall: Double, cpu: Double
  }

  func run() throws {
    let env = ProcessInfo.processInfo.environment
    print("r4ncl bench: 700-200-100-50 recurrent LIF -> 20, float32; training on \(threads) thread(s), inference on 1")
    print("input: SHD-shaped random, ~6,300 events/sample in the first ~1 s; OPENBLAS_CORETYPE=\(env["OPENBLAS_CORETYPE"] ?? "unset") (\(BLASKernels.name) kernels)")
    if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
      print("load average at start: \(load.split(separator: " ").prefix(3).joined(separator: " ")) (2 cores shared: wall-clock numbers are noisy, ratios are side by side)")
    }
    var train: [Row] = []
    var latency: [Int: (Double, Double, Double, Double)] = [:]
    for t in timesteps {
      for b in batches { train.append(try measureTraining(timesteps: t, batch: b)) }
      latency[t] = try measureLatency(timesteps: t)
    }
    let torch = pytorch ? runPyTorch() : nil
    func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }

    print("\nTraining (forward + backward + Adamax step), samples/s; cpu = samples per CPU-second of the process")
    var header = pad("T", 4) + pad("batch", 6) + pad("ours", 10) + pad("ours/cpu", 10)
    if torch != nil { header += pad("torch", 10) + pad("torch/cpu", 10) + pad("ratio", 8) + pad("ratio/cpu", 10) }
    print(header)
    for r in train {
      var line = pad("\(r.t)", 4) + pad("\(r.batch)", 6) + pad(String(format: "%.1f", r.wall), 10) + pad(String(format: "%.1f", r.cpu), 10)
      if let torch = torch {
        if let tw = torch.train["\(r.t)"]?["\(r.batch)"], let tc = torch.trainCPU["\(r.t)"]?["\(r.batch)"] {
          line += pad(String(format: "%.1f", tw), 10) + pad(String(format: "%.1f", tc), 10)
            + pad(String(format: "%.1fx", r.wall / tw), 8) + pad(String(format: "%.1fx", r.cpu / tc), 10)
        } else {
          line += "  (no PyTorch number)"
        }
      }
      print(line)
    }
    print("\nSingle-sample inference latency, ms (one thread); cpu = the thread's CPU time per inference")
    header = pad("T", 4) + pad("p50", 9) + pad("p99", 9) + pad("cpu p50", 9) + pad("cpu p99", 9)
    if torch != nil { header += pad("torch p50", 11) + pad("torch p99", 11) + pad("ratio p50", 11) + pad("ratio p99", 11) }
    print(header)
    for t in timesteps {
      let (p50, p99, c50, c99) = latency[t]!
      var line = pad("\(t)", 4) + pad(String(format: "%.3f", p50), 9) + pad(String(format: "%.3f", p99), 9)
        + pad(String(format: "%.3f", c50), 9) + pad(String(format: "%.3f", c99), 9)
      if let torch = torch, let a = torch.p50["\(t)"], let b = torch.p99["\(t)"] {
        line += pad(String(format: "%.3f", a), 11) + pad(String(format: "%.3f", b), 11)
          + pad(String(format: "%.1fx", a / p50), 11) + pad(String(format: "%.1fx", b / p99), 11)
      }
      print(line)
    }
    if torch != nil { print("ratio = ours/PyTorch throughput, PyTorch/ours latency (higher is better for us)") }
    if !noPeak { try printPeak() }
    printMemory()
    if let path = learnReport { try printLearnReport(path) }
  }

  /// Trains for at least `seconds` on four fixed random batches; samples per wall and CPU second.
  private func measureTraining(timesteps t: Int, batch: Int) throws -> Row {
    var rng = SeededGenerator(seed: UInt64(t * 1000 + batch))
    let net = try Network(config: .reference(timesteps: t, seed: 0))
    let data = (0..<4).map { _ in BenchInput.batch(&rng, count: batch, timesteps: t) }
    let trainer = Trainer(network: net, optimizer: OptimizerSettings(kind: .adamax, learningRate: 2e-4), threads: threads)
    for i in 0..<2 { try trainer.step(.binned(data[i])) }  // warm-up: workspaces allocated
    var steps = 0
    let start = Date(), cpu0 = CPUClock.process()
    while steps < 4 || Date().timeIntervalSince(start) < seconds.value {
      try trainer.step(.binned(data[steps % 4]))
      steps += 1
    }
    let wall = Date().timeIntervalSince(start), cpu = CPUClock.process() - cpu0
    return Row(t: t, batch: batch, wall: Double(steps * batch) / wall, cpu: Double(steps * batch) / cpu)
  }

  /// p50/p99 of single-sample inference (binned input to argmax) on one thread: wall time, then
  /// the thread's CPU time.
  private func measureLatency(timesteps t: Int) throws -> (Double, Double, Double, Double) {
    var rng = SeededGenerator(seed: UInt64(t))
    let net = try Network(config: .reference(timesteps: t, seed: 0))
    let runner = NetworkRunner(threads: 1)
    let samples = BenchInput.batch(&rng, count: 8, timesteps: t)
    for i in 0..<10 { _ = try runner.logits(net, .binned([samples[i % 8]])) }
    var ms: [Double] = [], cpu: [Double] = []
    for i in 0..<reps {
      let t0 = DispatchTime.now().uptimeNanoseconds, c0 = CPUClock.thread()
      let logits = try runner.logits(net, .binned([samples[i % 8]]))
      _ = logits.values.indices.max { logits.values[$0] < logits.values[$1] }
      ms.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
      cpu.append((CPUClock.thread() - c0) * 1e3)
    }
    ms.sort()
    cpu.sort()
    return (percentile(ms, 50), percentile(ms, 99), percentile(cpu, 50), percentile(cpu, 99))
  }

  /// One-thread training step at batch 64 against OpenBLAS running the products a dense
  /// implementation needs for the same step (and the large-GEMM rate as the machine's peak).
  private func printPeak() throws {
    let peak = DenseEquivalent.blasPeakGFLOPs()
    print(String(format: "\nFraction of peak (one thread, batch 64): BLAS sgemm 256x700x256 runs at %.1f GFLOP/s", peak))
    func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
    print(pad("T", 4) + pad("dense GFLOP", 13) + pad("BLAS ms", 10) + pad("BLAS GF/s", 11) + pad("ours ms", 10)
      + pad("ours GF/s-eq", 14) + pad("vs BLAS", 9) + pad("vs peak", 9))
    for t in timesteps {
      var rng = SeededGenerator(seed: UInt64(7 * t))
      let config = NetworkConfig.reference(timesteps: t, seed: 0)
      let dense = DenseEquivalent(config: config, batch: 64)
      let blas = dense.blasSeconds()
      let trainer = Trainer(network: try Network(config: config), optimizer: OptimizerSettings(kind: .adamax, learningRate: 2e-4), threads: 1)
      let data = (0..<2).map { _ in BenchInput.batch(&rng, count: 64, timesteps: t) }
      try trainer.step(.binned(data[0]))
      var best = Double.infinity
      for i in 0..<5 {
        let c0 = CPUClock.process()
        try trainer.step(.binned(data[i % 2]))
        best = min(best, CPUClock.process() - c0)
      }
      let gf = dense.flops / 1e9
      print(pad("\(t)", 4) + pad(String(format: "%.2f", gf), 13) + pad(String(format: "%.2f", blas * 1e3), 10)
        + pad(String(format: "%.1f", gf / blas), 11) + pad(String(format: "%.2f", best * 1e3), 10)
        + pad(String(format: "%.1f", gf / best), 14) + pad(String(format: "%.2fx", blas / best), 9)
        + pad(String(format: "%.2fx", gf / best / peak), 9))
    }
    print("dense GFLOP = products a dense implementation runs per step (forward + backward); ours = best CPU time of 5 steps;")
    print("GF/s-eq = dense GFLOP / our time; vs BLAS = BLAS time / ours (> 1: faster than the dense products alone)")
  }

  private func printMemory() {
    let rss = PeakMemory.peakResidentBytes().map { String(format: "%.1f MiB", Double($0) / 1048576) } ?? "n/a"
    let bptt = timesteps.map { t in
      String(format: "T = %d: %.1f KiB", t, Double(DenseEquivalent.bpttBytesPerSample(config: .reference(timesteps: t, seed: 0))) / 1024)
    }
    print("\nMemory: peak RSS \(rss); BPTT state per sample " + bptt.joined(separator: ", "))
  }

  /// Learning-phase wall time per method of a `r4ncl learn` report (`methods[].phases[]` with
  /// phase "learn"), and each method's time relative to the slowest.
  private func printLearnReport(_ path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("\(path): cannot read the report") }
    guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let methods = obj["methods"] as? [[String: Any]]
    else { throw CommandFailure("\(path): not a learn report (no 'methods' list)") }
    var rows: [(String, Double)] = []
    for m in methods {
      guard let name = m["method"] as? String, let phases = m["phases"] as? [[String: Any]] else { continue }
      for p in phases where (p["phase"] as? String) == "learn" {
        if let sec = (p["seconds"] as? NSNumber)?.doubleValue { rows.append((name, sec)) }
      }
    }
    print("\nLearning phase wall time per method (from \(path)):")
    guard let slowest = rows.map(\.1).max(), slowest > 0 else {
      print("  (no learn phases in the report)")
      return
    }
    for (name, sec) in rows {
      print(String(format: "  %@ %8.2f s  %5.2fx faster than the slowest", name.padding(toLength: 12, withPad: " ", startingAt: 0), sec, slowest / sec))
    }
  }

  private struct TorchNumbers {
    var train: [String: [String: Double]]
    var trainCPU: [String: [String: Double]]
    var p50: [String: Double]
    var p99: [String: Double]
  }

  private func runPyTorch() -> TorchNumbers? {
    guard shell(["python3", "-c", "import torch"]).status == 0 else {
      print("PyTorch comparison skipped: python3 cannot import torch")
      return nil
    }
    let args = ["python3", pytorchScript, "--json", "--threads", String(threads), "--seconds", String(seconds.value), "--reps", String(reps),
      "--timesteps"] + timesteps.map(String.init) + ["--batches"] + batches.map(String.init)
    let r = shell(args)
    guard r.status == 0, let line = r.output.split(separator: "\n").last,
      let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    else {
      print("PyTorch comparison failed: \(pytorchScript) exited \(r.status): \(r.output.suffix(300))")
      return nil
    }
    func table(_ key: String) -> [String: Double] {
      ((obj[key] as? [String: Any]) ?? [:]).compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
    func nested(_ key: String) -> [String: [String: Double]] {
      ((obj[key] as? [String: Any]) ?? [:]).compactMapValues { v in
        (v as? [String: Any])?.compactMapValues { ($0 as? NSNumber)?.doubleValue }
      }
    }
    print("PyTorch \(obj["torch"] ?? "?"): training on \(obj["threads"] ?? "?") thread(s), inference on 1 (SNN.predict, inference_mode)")
    return TorchNumbers(
      train: nested("train_samples_per_s"), trainCPU: nested("train_samples_per_cpu_s"), p50: table("infer_p50_ms"), p99: table("infer_p99_ms"))
  }

  private func shell(_ args: [String]) -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    do { try p.run() } catch { return (-1, "\(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}

/// SHD-shaped random binned input, matching Benchmarks/pytorch/bench.py: ~6,300 events per sample
/// in the first ~1 s of 1.4 s, ~10% of (bin, channel) cells non-zero at T = 40 (6.5% at T = 100),
/// counts 1 + Poisson.
enum BenchInput {
  static func batch(_ rng: inout SeededGenerator, count: Int, timesteps t: Int, channels: Int = 700) -> [BinnedSample] {
    let density = t == 40 ? 0.10 : t == 100 ? 0.065 : 0.10 * (40 / Double(t)).squareRoot()
    let activeBins = max(1, Int((Double(t) * 1.0 / 1.4).rounded()))
    let p = min(1, density * Double(t) / Double(activeBins))
    let extra = max(0, 6300 / (p * Double(activeBins * channels)) - 1)
    return (0..<count).map { i in
      var dense = [Float](repeating: 0, count: t * channels)
      for cell in 0..<(activeBins * channels) where rng.nextUniform() < p {
        dense[cell] = Float(1 + poisson(&rng, extra))
      }
      return BinnedSample(dense: dense, timesteps: t, channelCount: channels, label: i % 20)
    }
  }

  /// Knuth's method (fine for the small means used here).
  static func poisson(_ rng: inout SeededGenerator, _ lambda: Double) -> Int {
    let limit = exp(-lambda)
    var k = 0
    var prod = rng.nextUniform()
    while prod > limit {
      k += 1
      prod *= rng.nextUniform()
    }
    return k
  }
}
