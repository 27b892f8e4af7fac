import Foundation

/// Runs a network on batches: forward (logits), loss and BPTT gradients, latent extraction.
/// A batch is split into `threadCount` contiguous slices, each computed on its own thread into its
/// own workspace; gradients are then summed in slice order, so results are deterministic for a
/// given thread count. Not thread-safe itself: use one runner per thread of control.
public final class NetworkRunner {
  /// Number of slices (threads) a batch is split into.
  public let threadCount: Int
  private var workspaces: [Workspace] = []
  /// Reduced gradients of the last `gradients` call, canonical parameter order.
  private(set) var reduced: [FloatBuffer] = []
  private(set) var reducedComputed: [Bool] = []
  /// Active-cell fraction below which spike products run event-driven (tests force 0 or 1 to
  /// exercise the GEMM and the sparse paths).
  var sparseDensity = 0.25
  /// Number of slices the last batch was split into.
  private var lastSliceCount = 0
  /// Hidden layers (0-based) the last batch ran through (for spike statistics).
  private var lastLayers: Range<Int> = 0..<0

  public init(threads: Int = 2) {
    _ = BLAS.singleThreaded
    threadCount = max(1, threads)
  }

  /// Logits `[B][classes]` (max over time of the readout) for a batch.
  public func logits(_ network: Network, _ input: NetworkInput) throws -> Matrix {
    let plan = try BatchPlan(input: input, network: network)
    let slices = prepare(network: network, input: input, plan: plan)
    lastLayers = plan.start..<network.hiddenLayerCount
    network.withWeightPointers { w in
      run(slices.count) { k in
        self.workspaces[k].load(input.slice(slices[k]), plan: plan)
        self.workspaces[k].forward(
          network: network, weights: w, plan: plan, end: network.hiddenLayerCount, readout: true, keepSurrogates: false)
      }
    }
    return gatherLogits(slices: slices.count, classes: network.config.classCount)
  }

  /// Mean cross-entropy loss, logits and the gradients of the trainable parameters (by name, in
  /// canonical order; frozen parameters are absent).
  public func gradients(_ network: Network, _ input: NetworkInput, trainable: TrainableLayers? = nil) throws -> GradientResult {
    let loss = try computeGradients(network, input, trainable: trainable ?? .all(hiddenLayers: network.hiddenLayerCount))
    let layout = ParameterLayout(config: network.config)
    var grads: [(name: String, matrix: Matrix)] = []
    for i in 0..<layout.count where reducedComputed[i] {
      grads.append((layout.names[i], Matrix(rows: layout.shapes[i].rows, cols: layout.shapes[i].cols, values: reduced[i].array())))
    }
    return GradientResult(loss: loss, logits: gatherLogits(slices: lastSliceCount, classes: layout.classCount), gradients: grads)
  }

  /// Forward + backward; leaves the summed gradients in `reduced` and returns the mean loss.
  func computeGradients(_ network: Network, _ input: NetworkInput, trainable: TrainableLayers) throws -> Float {
    guard trainable.hidden.count == network.hiddenLayerCount else {
      throw NetworkError.inputMismatch("trainable mask has \(trainable.hidden.count) hidden flags, the network has \(network.hiddenLayerCount) hidden layers")
    }
    let labels = try input.labels(classCount: network.config.classCount)
    let plan = try BatchPlan(input: input, network: network)
    let slices = prepare(network: network, input: input, plan: plan)
    lastLayers = plan.start..<network.hiddenLayerCount
    let total = input.count
    network.withWeightPointers { w in
      run(slices.count) { k in
        let ws = self.workspaces[k]
        ws.load(input.slice(slices[k]), plan: plan)
        ws.forward(network: network, weights: w, plan: plan, end: network.hiddenLayerCount, readout: true, keepSurrogates: true)
        ws.crossEntropy(labels: Array(labels[slices[k]]), totalBatch: total)
        ws.backward(network: network, weights: w, plan: plan, trainable: trainable)
      }
    }
    // Fixed-order reduction: slice 0 + slice 1 + ...
    let layout = workspaces[0].layout
    if reduced.count != layout.count || zip(reduced, layout.shapes).contains(where: { $0.count != $1.rows * $1.cols }) {
      reduced = layout.shapes.map { FloatBuffer(count: $0.rows * $0.cols) }
    }
    reducedComputed = workspaces[0].computed
    var loss = 0.0
    for k in 0..<slices.count { loss += workspaces[k].loss }
    for i in 0..<layout.count where reducedComputed[i] {
      let dst = reduced[i].pointer, n = reduced[i].count
      dst.update(from: workspaces[0].grads[i].pointer, count: n)
      for k in 1..<max(slices.count, 1) {
        let src = workspaces[k].grads[i].pointer
        for j in 0..<n { dst[j] += src[j] }
      }
    }
    return Float(loss)
  }

  /// The activity at injection depth d for binned samples: d = 0 the input currents of hidden 1
  /// (`x W1`), d = k the spikes of hidden k. Labels are kept.
  public func latents(_ network: Network, _ samples: [BinnedSample], depth: Int) throws -> [LatentSample] {
    guard depth >= 0, depth <= network.hiddenLayerCount else {
      throw NetworkError.invalidDepth(depth, hiddenLayers: network.hiddenLayerCount)
    }
    let input = NetworkInput.binned(samples)
    let plan = try BatchPlan(input: input, network: network)
    let slices = prepare(network: network, input: input, plan: plan)
    let width = network.latentWidth(depth: depth)
    let T = network.config.timesteps
    lastLayers = 0..<depth
    network.withWeightPointers { w in
      run(slices.count) { k in
        self.workspaces[k].load(input.slice(slices[k]), plan: plan)
        // Depth 0 needs only the event-driven currents; run layer 1 up to its currents.
        self.workspaces[k].forward(network: network, weights: w, plan: plan, end: max(depth, 0), readout: false, keepSurrogates: false)
        if depth == 0 { self.workspaces[k].inputCurrentsOnly(weights: w) }
      }
    }
    var out: [LatentSample] = []
    out.reserveCapacity(samples.count)
    for (k, range) in slices.enumerated() {
      let ws = workspaces[k]
      let source = depth == 0 ? ws.currents[0].pointer : ws.spikes[depth - 1].pointer
      let B = range.count
      for b in 0..<B {
        var values = [Float](repeating: 0, count: T * width)
        values.withUnsafeMutableBufferPointer { v in
          for t in 0..<T { (v.baseAddress! + t * width).update(from: source + (t * B + b) * width, count: width) }
        }
        out.append(LatentSample(depth: depth, timesteps: T, width: width, values: values, label: samples[range.lowerBound + b].label))
      }
    }
    return out
  }

  /// A full record of one forward pass (single slice): spikes per hidden layer `[T][B][N]`,
  /// `out` `[T+1][B][C]`, logits and first-argmax times. For tests and diagnostics.
  public func trace(_ network: Network, _ input: NetworkInput) throws -> ForwardTrace {
    let plan = try BatchPlan(input: input, network: network)
    let ws = workspace(0, network: network, batch: input.count)
    ws.load(input, plan: plan)
    network.withWeightPointers { w in
      ws.forward(network: network, weights: w, plan: plan, end: network.hiddenLayerCount, readout: true, keepSurrogates: false)
    }
    let T = network.config.timesteps, B = input.count, c = network.config.classCount
    let spikes = (0..<network.hiddenLayerCount).map { l in
      l < plan.start ? [] : ws.spikes[l].array(T * B * network.layers[l].outputCount)
    }
    return ForwardTrace(
      timesteps: T, batch: B, hiddenSpikes: spikes, out: ws.out.array((T + 1) * B * c),
      logits: Matrix(rows: B, cols: c, values: ws.logits.array(B * c)), argmaxTime: ws.argmax[0..<(B * c)].map(Int.init))
  }

  /// Total spikes of each hidden layer over the last batch run by `logits`, `gradients`, a
  /// training step or `latents` (all samples and steps); nil for layers that did not run.
  /// Continual learning's adaptive threshold and the energy model read these.
  public func lastSpikeCounts(_ network: Network) -> [Double?] {
    (0..<network.hiddenLayerCount).map { l in
      guard lastLayers.contains(l) else { return nil }
      // The layer's spike index of each slice already counts its spikes (all T * B cells).
      var total = 0.0
      for k in 0..<lastSliceCount {
        let ws = workspaces[k]
        total += Double(ws.spikeIndex[l].activeCount(0, network.config.timesteps * ws.batch))
      }
      return total
    }
  }

  /// Number of samples in the last batch (all slices).
  public var lastBatchSize: Int { (0..<lastSliceCount).reduce(0) { $0 + workspaces[$1].batch } }

  /// Mean firing rate (spikes per neuron per step) of each hidden layer over the last batch;
  /// nil for layers that did not run (see `lastSpikeCounts`).
  public func lastSpikeRates(_ network: Network) -> [Double?] {
    lastSpikeCounts(network).enumerated().map { l, c in c.map { network.firingRate(spikes: $0, layer: l, samples: lastBatchSize) } }
  }

  // MARK: - Internals

  /// Splits the batch into contiguous slices and readies a workspace for each (the slices are
  /// loaded inside the parallel pass that computes them: one dispatch per batch, not two).
  private func prepare(network: Network, input: NetworkInput, plan: BatchPlan) -> [Range<Int>] {
    let n = input.count
    let k = max(1, min(threadCount, n))
    let slices = (0..<k).map { i in (i * n / k)..<((i + 1) * n / k) }
    lastSliceCount = k
    let capacity = (n + k - 1) / k
    for i in 0..<k { _ = workspace(i, network: network, batch: capacity) }
    return slices
  }

  private func workspace(_ i: Int, network: Network, batch: Int) -> Workspace {
    let layout = ParameterLayout(config: network.config)
    let T = network.config.timesteps
    while workspaces.count <= i { workspaces.append(Workspace(layout: layout, timesteps: T, capacity: max(batch, 1))) }
    if !workspaces[i].fits(layout: layout, timesteps: T, batch: batch) {
      workspaces[i] = Workspace(layout: layout, timesteps: T, capacity: max(batch, workspaces[i].capacity))
    }
    workspaces[i].sparseDensity = sparseDensity
    return workspaces[i]
  }

  private func run(_ n: Int, _ body: (Int) -> Void) {
    if n == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: n, execute: body) }
  }

  private func gatherLogits(slices: Int, classes: Int) -> Matrix {
    let values = gatherLogitsValues(classes: classes)
    return Matrix(rows: values.count / max(classes, 1), cols: classes, values: values)
  }

  func gatherLogitsValues(classes: Int) -> [Float] {
    var values: [Float] = []
    for k in 0..<lastSliceCount { values.append(contentsOf: workspaces[k].logits.array(workspaces[k].batch * classes)) }
    return values
  }
}

/// Loss, logits and per-parameter gradients of one batch.
public struct GradientResult: Sendable {
  /// Mean cross-entropy over the batch.
  public var loss: Float
  /// Logits `[B][classes]`.
  public var logits: Matrix
  /// dLoss/dparameter for the trainable parameters, canonical order.
  public var gradients: [(name: String, matrix: Matrix)]

  /// The gradient called `name`, or nil when it was not computed (frozen).
  public func gradient(_ name: String) -> Matrix? { gradients.first { $0.name == name }?.matrix }
}

/// Everything one forward pass produced (see `NetworkRunner.trace`).
public struct ForwardTrace: Sendable {
  public var timesteps: Int
  public var batch: Int
  /// Per hidden layer `[T][B][N]` 0/1 spikes (empty for layers below the injection depth).
  public var hiddenSpikes: [[Float]]
  /// Readout potential `[T+1][B][C]`.
  public var out: [Float]
  /// Max over time of `out`, `[B][C]`.
  public var logits: Matrix
  /// First time index attaining each logit, `[B][C]` row-major.
  public var argmaxTime: [Int]
}

extension NetworkRunner {
  /// Logits of the last batch, `[B][C]` row-major, gathered from the slices.
  func lastLogits(classes: Int) -> [Float] {
    gatherLogitsValues(classes: classes)
  }
}
