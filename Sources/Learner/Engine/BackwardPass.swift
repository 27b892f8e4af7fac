extension Workspace {
  /// BPTT from dL/dlogits (in `logitGrads`) down to the lowest layer that needs a gradient.
  /// Writes the gradient of every trainable parameter into `grads` and marks it in `computed`.
  func backward(network: Network, weights: WeightPointers, plan: BatchPlan, trainable: TrainableLayers) {
    let T = timesteps, B = batch, L = layout.hiddenCount, c = layout.classCount
    for i in computed.indices { computed[i] = false }
    // Lowest hidden layer whose parameters learn; W1 cannot learn from given currents.
    let lowest = (plan.start..<L).first { l in
      trainable.hidden[l] && (layout.vIndex[l] != nil || !(l == 0 && plan.mode == .currents))
    } ?? L

    // Readout: dL/dout is non-zero only at the first argmax time of each logit.
    // go = dL/dout[t+1] (total), gf = dL/dflt[t+1]; dL/da[t] = gf; gf' = alpha gf + go; go' = beta go + direct[t].
    let block = B * c
    let ga = readoutDrive.pointer, gf = filter.pointer, go = carry.pointer, dl = logitGrads.pointer
    gf.update(repeating: 0, count: block)
    let alpha = network.readout.alpha, beta = network.readout.beta
    argmax.withUnsafeBufferPointer { am in
      for i in 0..<block { go[i] = am[i] == Int32(T) ? dl[i] : 0 }
      for t in stride(from: T - 1, through: 0, by: -1) {
        let gat = ga + t * block
        let t32 = Int32(t)
        for i in 0..<block {
          let f = gf[i], o = go[i]
          gat[i] = f
          gf[i] = alpha * f + o
          go[i] = beta * o + (am[i] == t32 ? dl[i] : 0)
        }
      }
    }
    let nl = layout.sizes[L]
    if trainable.readout {
      spikeGradient(layer: L, plan: plan, rows: ga, n: c, into: grads[layout.outIndex])
      computed[layout.outIndex] = true
    }
    guard lowest < L else { return }
    BLAS.gemm(transB: true, m: T * B, n: nl, k: c, a: ga, lda: c, b: weights.out, ldb: c, beta: 0, c: spikeGrads[L - 1].pointer, ldc: nl)

    for l in stride(from: L - 1, through: lowest, by: -1) {
      let n = layout.width(l), cellBlock = B * n
      let gs = spikeGrads[l].pointer, gh = currents[l].pointer
      let s = spikes[l].pointer, sg = surrogates[l].pointer
      let gsyn = stateA.pointer, gmem = stateB.pointer
      gsyn.update(repeating: 0, count: cellBlock)
      gmem.update(repeating: 0, count: cellBlock)
      let p = network.layers[l].parameters
      for t in stride(from: T - 1, through: 0, by: -1) {
        let off = t * cellBlock
        if let v = weights.v[l], t < T - 1 {
          // h[t+1] = ... + s[t] V  =>  dL/ds[t] += dL/dh[t+1] V^T.
          BLAS.gemm(transB: true, m: B, n: n, k: n, a: gh + off + cellBlock, lda: n, b: v, ldb: n, beta: 1, c: gs + off, ldc: n)
        }
        LIFKernels.backwardStep(
          n: cellBlock, gh: gh + off, gsyn: gsyn, gmem: gmem, gs: gs + off, spikes: s + off, surrogate: sg + off,
          alpha: p.alpha, beta: p.beta)
      }
      if trainable.hidden[l] {
        if let vi = layout.vIndex[l] {
          // dV = sum_t s[t-1]^T dh[t], t = 1..T-1: one product over the shifted blocks.
          let index = spikeIndex[l], cells = (T - 1) * B
          if isSparse(index, 0, cells, width: n) {
            index.transposedRowSums(gh + cellBlock, n: n, cells: 0, cells, width: n, into: grads[vi].pointer)
          } else {
            BLAS.gemm(transA: true, m: n, n: n, k: cells, a: s, lda: n, b: gh + cellBlock, ldb: n, beta: 0, c: grads[vi].pointer, ldc: n)
          }
          computed[vi] = true
        }
        let wi = layout.wIndex[l]
        if l == 0 && plan.mode == .events {
          scatterInputGradient(gh: gh, n: n, into: grads[wi])
          computed[wi] = true
        } else if !(l == 0 && plan.mode == .currents) {
          spikeGradient(layer: l, plan: plan, rows: gh, n: n, into: grads[wi])
          computed[wi] = true
        }
      }
      if l > lowest {
        let nin = layout.sizes[l]
        BLAS.gemm(transB: true, m: T * B, n: nin, k: n, a: gh, lda: n, b: weights.w[l], ldb: n, beta: 0, c: spikeGrads[l - 1].pointer, ldc: nin)
      }
    }
  }

  /// `X^T rows` for the spike input X of layer `l` (the readout for l = L): the weight gradient.
  private func spikeGradient(layer l: Int, plan: BatchPlan, rows: UnsafePointer<Float>, n: Int, into g: FloatBuffer) {
    let cells = timesteps * batch, nin = layout.sizes[l]
    let index = inputIndex(layer: l, plan: plan)
    if isSparse(index, 0, cells, width: nin) {
      index.transposedRowSums(rows, n: n, cells: 0, cells, width: nin, into: g.pointer)
    } else {
      BLAS.gemm(transA: true, m: nin, n: n, k: cells, a: inputSpikes(layer: l, plan: plan), lda: nin, b: rows, ldb: n, beta: 0, c: g.pointer, ldc: n)
    }
  }

  /// dW1[c] = sum over the events of channel c of count * dL/dh1[t][b]. The events are first
  /// regrouped channel-major (counting sort), so each dW1 row is written once.
  private func scatterInputGradient(gh: UnsafePointer<Float>, n: Int, into g: FloatBuffer) {
    let nin = layout.sizes[0], cells = timesteps * batch, events = eventTotal
    if channelOffsets.count != nin + 1 { channelOffsets = [Int32](repeating: 0, count: nin + 1) }
    if channelCells.count < events {
      channelCells = [Int32](repeating: 0, count: events)
      channelCounts = [Float](repeating: 0, count: events)
    }
    let dw = g.pointer
    eventOffsets.withUnsafeBufferPointer { off in
      eventChannels.withUnsafeBufferPointer { ch in
        eventCounts.withUnsafeBufferPointer { cnt in
          channelOffsets.withUnsafeMutableBufferPointer { start in
            channelCells.withUnsafeMutableBufferPointer { cellOf in
              channelCounts.withUnsafeMutableBufferPointer { countOf in
                for i in 0...nin { start[i] = 0 }
                for e in 0..<events { start[Int(ch[e]) + 1] += 1 }
                for i in 0..<nin { start[i + 1] += start[i] }
                // Fill in cell order, so each channel's events stay in time order (deterministic sums).
                for cell in 0..<cells {
                  for e in Int(off[cell])..<Int(off[cell + 1]) {
                    let c = Int(ch[e])
                    let pos = Int(start[c])
                    cellOf[pos] = Int32(cell)
                    countOf[pos] = cnt[e]
                    start[c] += 1
                  }
                }
                // start[c] now holds the end of channel c; its beginning is start[c - 1] (0 for c = 0).
                for c in 0..<nin {
                  let lo = c == 0 ? 0 : Int(start[c - 1]), hi = Int(start[c])
                  SparseKernels.weightedRowSum(
                    gh, n: n, rows: cellOf.baseAddress! + lo, weights: countOf.baseAddress! + lo, count: hi - lo,
                    into: dw + c * n, accumulate: false)
                }
              }
            }
          }
        }
      }
    }
  }
}
