import ArgumentParser
import Foundation
import Learner

/// `r4ncl bench`: training throughput and single-sample inference latency of the reference
/// network on SHD-shaped random input, optionally side by side with the PyTorch twin.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure training samples/s (batch 64) and inference latency p50/p99 at T = 40 and 100.")

  @Option(name: .long, parsing: .upToNextOption, help: "Time steps to measure.")
  var timesteps: [Int] = [40, 100]

  @Option(name: .long, help: "Threads per training batch (inference uses 1).")
  var threads: Int = 2

  @Option(name: .long, help: "Minimum seconds of training per T.")
  var seconds: Double = 4

  @Option(name: .long, help: "Inference repetitions per T.")
  var reps: Int = 300

  @Flag(name: .long, help: "Also run Benchmarks/pytorch/bench.py --json (if torch imports) and print ratios.")
  var pytorch = false

  @Option(name: .long, help: "Path of the PyTorch benchmark script.")
  var pytorchScript = "Benchmarks/pytorch/bench.py"

  func validate() throws {
    guard threads >= 1 else { throw ValidationError("--threads must be >= 1") }
    guard reps >= 10 else { throw ValidationError("--reps must be >= 10") }
    guard !timesteps.isEmpty, timesteps.allSatisfy({ $0 > 0 }) else { throw ValidationError("--timesteps must be positive") }
  }

  func run() throws {
    let env = ProcessInfo.processInfo.environment
    print("r4ncl bench: 700-200-100-50 recurrent LIF -> 20, float32, batch 64, \(threads) thread(s) for training, 1 for inference")
    print("input: SHD-shaped random, ~6,300 events/sample in the first ~1 s; OPENBLAS_CORETYPE=\(env["OPENBLAS_CORETYPE"] ?? "unset")")
    var rows: [(t: Int, train: Double, p50: Double, p99: Double)] = []
    for t in timesteps {
      let (train, p50, p99) = try measure(timesteps: t)
      rows.append((t, train, p50, p99))
    }
    let torch = pytorch ? runPyTorch() : nil
    func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
    var header = pad("T", 4) + pad("train samples/s", 17) + pad("infer p50 ms", 14) + pad("infer p99 ms", 14)
    if torch != nil {
      header += pad("torch train", 13) + pad("ratio", 9) + pad("torch p50", 12) + pad("ratio", 9) + pad("torch p99", 12) + pad("ratio", 9)
    }
    print(header)
    for r in rows {
      var line = String(format: "%4d %16.1f %13.3f %13.3f", r.t, r.train, r.p50, r.p99)
      if let torch = torch {
        let key = String(r.t)
        if let tt = torch.train[key], let tp50 = torch.p50[key], let tp99 = torch.p99[key] {
          line += String(format: " %12.1f %7.2fx %11.3f %7.2fx %11.3f %7.2fx", tt, r.train / tt, tp50, tp50 / r.p50, tp99, tp99 / r.p99)
        } else {
          line += "  (no PyTorch number for T = \(key))"
        }
      }
      print(line)
    }
    if torch != nil { print("ratio = ours/PyTorch throughput, PyTorch/ours latency (higher is better for us)") }
  }

  /// Trains for at least `seconds` on four fixed random batches, then times single-sample inference.
  private func measure(timesteps t: Int) throws -> (Double, Double, Double) {
    var rng = SeededGenerator(seed: 0)
    let net = try Network(config: .reference(timesteps: t, seed: 0))
    let batches = (0..<4).map { _ in BenchInput.batch(&rng, count: 64, timesteps: t) }
    let trainer = Trainer(network: net, optimizer: OptimizerSettings(kind: .adamax, learningRate: 2e-4), threads: threads)
    for i in 0..<2 { try trainer.step(.binned(batches[i])) }  // warm-up: workspaces allocated
    var steps = 0
    let start = Date()
    let cpu0 = cpuSeconds()
    while steps < 8 || Date().timeIntervalSince(start) < seconds {
      try trainer.step(.binned(batches[steps % 4]))
      steps += 1
    }
    let wall = Date().timeIntervalSince(start)
    let train = Double(steps * 64) / wall
    let cpu = cpuSeconds() - cpu0
    print(String(format: "T = %d: training used %.2f CPU-s in %.2f s wall (%.0f%% of %d cores); per CPU-second: %.1f samples",
      t, cpu, wall, 100 * cpu / (wall * Double(threads)), threads, Double(steps * 64) / cpu))
    let trace = try NetworkRunner(threads: 1).trace(net, .binned(batches[0]))
    let rates = trace.hiddenSpikes.map { s in String(format: "%.1f%%", 100 * Double(s.reduce(0, +)) / Double(max(s.count, 1))) }
    let cells = batches[0].map(\.activeCellCount).reduce(0, +)
    print(String(format: "T = %d: %.1f%% input cells active, %.0f events/sample; hidden spike rates at init: ", t,
      100 * Double(cells) / Double(64 * t * 700), Double(batches[0].map(\.spikeCount).reduce(0, +)) / 64) + rates.joined(separator: ", "))

    let runner = NetworkRunner(threads: 1)
    let samples = BenchInput.batch(&rng, count: 8, timesteps: t)
    for i in 0..<10 { _ = try runner.logits(net, .binned([samples[i % 8]])) }
    var ms: [Double] = []
    for i in 0..<reps {
      let t0 = DispatchTime.now().uptimeNanoseconds
      let logits = try runner.logits(net, .binned([samples[i % 8]]))
      _ = logits.values.indices.max { logits.values[$0] < logits.values[$1] }
      ms.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }
    ms.sort()
    func percentile(_ p: Double) -> Double {
      // Linear interpolation, as numpy.percentile.
      let x = p / 100 * Double(ms.count - 1)
      let lo = Int(x.rounded(.down)), hi = min(lo + 1, ms.count - 1)
      return ms[lo] + (ms[hi] - ms[lo]) * (x - Double(lo))
    }
    return (train, percentile(50), percentile(99))
  }

  /// CPU time of this process (all threads), to see how much of the machine the run really got.
  private func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }

  private struct TorchNumbers {
    var train: [String: Double]
    var p50: [String: Double]
    var p99: [String: Double]
  }

  private func runPyTorch() -> TorchNumbers? {
    guard shell(["python3", "-c", "import torch"]).status == 0 else {
      print("PyTorch comparison skipped: python3 cannot import torch")
      return nil
    }
    let r = shell(["python3", pytorchScript, "--json", "--threads", String(threads)])
    guard r.status == 0, let line = r.output.split(separator: "\n").last,
      let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    else {
      print("PyTorch comparison failed: \(pytorchScript) exited \(r.status): \(r.output.suffix(300))")
      return nil
    }
    func table(_ key: String) -> [String: Double] {
      ((obj[key] as? [String: Any]) ?? [:]).compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
    print("PyTorch \(obj["torch"] ?? "?"), \(obj["threads"] ?? "?") thread(s)")
    return TorchNumbers(train: table("train_samples_per_s"), p50: table("infer_p50_ms"), p99: table("infer_p99_ms"))
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
