import Foundation

/// How the first layer that runs gets its input.
enum InputMode {
  /// Binned input spikes through W1, event-driven.
  case events
  /// Input currents of hidden 1 given directly (depth 0 latents).
  case currents
  /// Spikes of hidden `start` given (depth >= 1 latents).
  case spikes
}

/// Where a batch starts: first hidden layer to run (0-based) and how it gets its input.
struct BatchPlan {
  let start: Int
  let mode: InputMode

  init(input: NetworkInput, network: Network) throws {
    let config = network.config
    switch input {
    case .binned(let samples):
      for (i, s) in samples.enumerated() {
        guard s.timesteps == config.timesteps, s.channelCount == config.inputCount else {
          throw NetworkError.inputMismatch(
            "sample \(i) is binned as \(s.timesteps) steps x \(s.channelCount) channels, the network needs \(config.timesteps) x \(config.inputCount)")
        }
        guard s.isWellFormed else {
          throw NetworkError.inputMismatch("binned sample \(i) has inconsistent step offsets or a channel outside 0..<\(s.channelCount)")
        }
      }
      start = 0
      mode = .events
    case .latents(let samples):
      start = try Self.checkLatents(samples.map { ($0.depth, $0.timesteps, $0.width) }, network: network)
      mode = start == 0 ? .currents : .spikes
    case .spikes(let samples):
      start = try Self.checkLatents(samples.map { ($0.depth, $0.timesteps, $0.width) }, network: network)
      mode = .spikes
      for (i, s) in samples.enumerated() where !s.isWellFormed {
        throw NetworkError.inputMismatch("spike latent \(i) has unit ids outside 0..<\(s.width) or not ascending within a step")
      }
    }
  }

  /// The common depth of latents of shapes `(depth, T, width)`, checked against the network.
  private static func checkLatents(_ shapes: [(Int, Int, Int)], network: Network) throws -> Int {
    let depth = shapes.first?.0 ?? 0
    guard depth >= 0, depth <= network.hiddenLayerCount else {
      throw NetworkError.invalidDepth(depth, hiddenLayers: network.hiddenLayerCount)
    }
    let width = network.latentWidth(depth: depth)
    for (i, (d, steps, w)) in shapes.enumerated() {
      guard d == depth else { throw NetworkError.inputMismatch("latent \(i) has depth \(d), the batch has depth \(depth)") }
      guard steps == network.config.timesteps, w == width else {
        throw NetworkError.inputMismatch(
          "latent \(i) is \(steps) steps x \(w) units, depth \(depth) of this network needs \(network.config.timesteps) x \(width)")
      }
    }
    return depth
  }
}

extension Workspace {
  /// Loads a slice of the batch into this workspace (events CSR, currents or latent spikes).
  func load(_ input: NetworkInput, plan: BatchPlan) {
    let T = timesteps
    switch input {
    case .binned(let samples):
      // Time-major CSR over cells c = t*B + b: counts per cell, prefix sums, then each sample's
      // events copied step by step (each sample's arrays opened once). `BatchPlan` has checked
      // every sample's offsets and channels (`BinnedSample.isWellFormed`).
      let B = samples.count, cells = T * B
      batch = B
      if eventOffsets.count < cells + 1 { eventOffsets = [Int32](repeating: 0, count: cells + 1) }
      var total = 0
      eventOffsets.withUnsafeMutableBufferPointer { off in
        off[0] = 0
        for (b, s) in samples.enumerated() {
          s.stepOffsets.withUnsafeBufferPointer { so in
            for t in 0..<T { off[t &* B &+ b &+ 1] = so[t &+ 1] &- so[t] }
          }
        }
        for c in 0..<cells { off[c + 1] += off[c] }
        total = Int(off[cells])
      }
      eventTotal = total
      if eventChannels.count < total {
        eventChannels = [Int32](repeating: 0, count: total)
        eventCounts = [Float](repeating: 0, count: total)
      }
      eventOffsets.withUnsafeBufferPointer { off in
        eventChannels.withUnsafeMutableBufferPointer { ch in
          eventCounts.withUnsafeMutableBufferPointer { cnt in
            for (b, s) in samples.enumerated() {
              s.stepOffsets.withUnsafeBufferPointer { so in
                s.channels.withUnsafeBufferPointer { sc in
                  s.counts.withUnsafeBufferPointer { sn in
                    for t in 0..<T {
                      let lo = Int(so[t]), k = Int(so[t &+ 1]) &- lo, at = Int(off[t &* B &+ b])
                      (ch.baseAddress! + at).update(from: sc.baseAddress! + lo, count: k)
                      (cnt.baseAddress! + at).update(from: sn.baseAddress! + lo, count: k)
                    }
                  }
                }
              }
            }
          }
        }
      }
    case .latents(let samples):
      let B = samples.count
      batch = B
      let width = samples.first?.width ?? 0
      let target: FloatBuffer
      if plan.mode == .currents {
        target = currents[0]
      } else {
        if latentInput == nil || latentInput!.count < T * capacity * width {
          latentInput = FloatBuffer(count: T * capacity * width)
        }
        target = latentInput!
        if !(latentIndex?.fits(cells: T * capacity, width: width) ?? false) { latentIndex = SpikeIndex(cells: T * capacity, width: width) }
      }
      for (b, s) in samples.enumerated() {
        s.values.withUnsafeBufferPointer { v in
          for t in 0..<T {
            (target.pointer + (t * B + b) * width).update(from: v.baseAddress! + t * width, count: width)
          }
        }
      }
      if plan.mode == .spikes {
        latentIndex!.reset()
        latentIndex!.append(target.pointer, count: T * B, width: width)
        latentInputIsDense = true
      }
    case .spikes(let samples):
      // Straight into the spike index of layer d + 1; the dense form is built only if a dense
      // product asks for it (`inputSpikes`).
      let B = samples.count
      batch = B
      let width = samples.first?.width ?? 0
      if !(latentIndex?.fits(cells: T * capacity, width: width) ?? false) { latentIndex = SpikeIndex(cells: T * capacity, width: width) }
      latentIndex!.fill(samples, timesteps: T)
      latentWidth = width
      latentInputIsDense = false
    }
  }

  /// Spike input of hidden layer `l` (or of the readout for l = L) as `[T][B][N]`.
  func inputSpikes(layer l: Int, plan: BatchPlan) -> UnsafeMutablePointer<Float> {
    guard l == plan.start && plan.mode == .spikes else { return spikes[l - 1].pointer }
    if !latentInputIsDense { expandLatentIndex() }
    return latentInput!.pointer
  }

  /// Fills the dense latent input from the latent spike index (event-form latents only).
  private func expandLatentIndex() {
    let width = latentWidth, cells = timesteps * batch
    if latentInput == nil || latentInput!.count < timesteps * capacity * width {
      latentInput = FloatBuffer(count: timesteps * capacity * width)
    }
    let dense = latentInput!.pointer, index = latentIndex!
    dense.update(repeating: 0, count: cells * width)
    for c in 0..<cells {
      for k in Int(index.offsets[c])..<Int(index.offsets[c + 1]) { dense[c * width + Int(index.units[k])] = 1 }
    }
    latentInputIsDense = true
  }

  /// The spike index matching `inputSpikes(layer:plan:)`.
  func inputIndex(layer l: Int, plan: BatchPlan) -> SpikeIndex {
    (l == plan.start && plan.mode == .spikes) ? latentIndex! : spikeIndex[l - 1]
  }

  /// `out = X w` for the spike input X of layer `l` (`[T*B, nin] x [nin, n]`): event-driven
  /// row sums when X is sparse, one GEMM otherwise.
  func spikeProduct(layer l: Int, plan: BatchPlan, w: UnsafePointer<Float>, nin: Int, n: Int, into out: UnsafeMutablePointer<Float>) {
    let cells = timesteps * batch
    let index = inputIndex(layer: l, plan: plan)
    if isSparse(index, 0, cells, width: nin) {
      index.gatherRows(w, n: n, cells: 0, cells, into: out, accumulate: false)
    } else {
      BLAS.gemm(m: cells, n: n, k: nin, a: inputSpikes(layer: l, plan: plan), lda: nin, b: w, ldb: n, beta: 0, c: out, ldc: n)
    }
  }

  /// Runs hidden layers `plan.start ..< end` and, if `readout`, the readout with logits and
  /// first-argmax times. Surrogates are stored only when `keepSurrogates` (training).
  func forward(
    network: Network, weights: WeightPointers, plan: BatchPlan, end: Int, readout: Bool, keepSurrogates: Bool
  ) {
    let T = timesteps, B = batch
    for l in plan.start..<end {
      let n = layout.width(l)
      let h = currents[l].pointer
      if l == 0 && plan.mode == .events {
        eventDrivenCurrents(w: weights.w[0], n: n)
      } else if !(l == 0 && plan.mode == .currents) {
        // Feed-forward currents of all steps at once: [T*B, Nin] x [Nin, N].
        spikeProduct(layer: l, plan: plan, w: weights.w[l], nin: layout.sizes[l], n: n, into: h)
      }
      let p = network.layers[l].parameters
      let syn = stateA.pointer, mem = stateB.pointer
      syn.update(repeating: 0, count: B * n)
      mem.update(repeating: 0, count: B * n)
      let s = spikes[l].pointer, sg = surrogates[l].pointer
      let block = B * n
      let index = spikeIndex[l]
      index.reset()
      for t in 0..<T {
        let ht = h + t * block
        if let v = weights.v[l], t > 0 {
          // Recurrent term s[t-1] V: only this part runs per step.
          if isSparse(index, (t - 1) * B, t * B, width: n) {
            index.gatherRows(v, n: n, cells: (t - 1) * B, t * B, into: ht, accumulate: true)
          } else {
            BLAS.gemm(m: B, n: n, k: n, a: s + (t - 1) * block, lda: n, b: v, ldb: n, beta: 1, c: ht, ldc: n)
          }
        }
        LIFKernels.forwardStep(
          n: block, h: ht, syn: syn, mem: mem, spikes: s + t * block,
          surrogate: keepSurrogates ? sg + t * block : nil, p: p)
        index.append(s + t * block, count: B, width: n)
      }
    }
    if readout { forwardReadout(network: network, weights: weights, plan: plan) }
  }

  /// Only the event-driven input currents of hidden 1 (latent extraction at depth 0).
  func inputCurrentsOnly(weights: WeightPointers) {
    eventDrivenCurrents(w: weights.w[0], n: layout.width(0))
  }

  /// `x[t] W1` as a sum of the W1 rows of the active channels, weighted by their counts.
  private func eventDrivenCurrents(w: UnsafePointer<Float>, n: Int) {
    let h = currents[0].pointer
    eventOffsets.withUnsafeBufferPointer { off in
      eventChannels.withUnsafeBufferPointer { ch in
        eventCounts.withUnsafeBufferPointer { cnt in
          for cell in 0..<(timesteps * batch) {
            let lo = Int(off[cell])
            SparseKernels.weightedRowSum(
              w, n: n, rows: ch.baseAddress! + lo, weights: cnt.baseAddress! + lo, count: Int(off[cell + 1]) - lo,
              into: h + cell * n, accumulate: false)
          }
        }
      }
    }
  }

  /// `flt[t+1] = alpha flt[t] + s_L[t] Wout`, `out[t+1] = beta out[t] + flt[t]`; logits are the max of
  /// out over t = 0...T, `argmax` the FIRST time attaining it (out[0] = 0 counts, so logits >= 0).
  private func forwardReadout(network: Network, weights: WeightPointers, plan: BatchPlan) {
    let T = timesteps, B = batch, L = layout.hiddenCount, c = layout.classCount
    let nl = layout.sizes[L]
    let drive = readoutDrive.pointer
    spikeProduct(layer: L, plan: plan, w: weights.out, nin: nl, n: c, into: drive)
    let alpha = network.readout.alpha, beta = network.readout.beta
    let block = B * c
    let flt = filter.pointer, o = out.pointer, lg = logits.pointer
    flt.update(repeating: 0, count: block)
    o.update(repeating: 0, count: block)
    lg.update(repeating: 0, count: block)
    argmax.withUnsafeMutableBufferPointer { am in
      for i in 0..<block { am[i] = 0 }
      for t in 0..<T {
        let prev = o + t * block, next = o + (t + 1) * block, a = drive + t * block
        for i in 0..<block {
          let v = beta * prev[i] + flt[i]
          flt[i] = alpha * flt[i] + a[i]
          next[i] = v
          if v > lg[i] {
            lg[i] = v
            am[i] = Int32(t + 1)
          }
        }
      }
    }
  }

  /// Mean cross-entropy contribution of this slice (`sum / totalBatch`) and dL/dlogits.
  func crossEntropy(labels: [Int], totalBatch: Int) {
    let c = layout.classCount
    let lg = logits.pointer, g = logitGrads.pointer
    var total = 0.0
    let scale = 1 / Double(totalBatch)
    for b in 0..<batch {
      var mx = -Double.infinity
      for k in 0..<c { mx = max(mx, Double(lg[b * c + k])) }
      var sum = 0.0
      for k in 0..<c { sum += exp(Double(lg[b * c + k]) - mx) }
      let lse = mx + log(sum)
      total += lse - Double(lg[b * c + labels[b]])
      for k in 0..<c {
        let p = exp(Double(lg[b * c + k]) - lse)
        g[b * c + k] = Float((p - (k == labels[b] ? 1 : 0)) * scale)
      }
    }
    loss = total * scale
  }
}
