/// Elementwise LIF recursions over one time step of a `[B][N]` block (n = B * N values).
/// Branch-free so the compiler vectorises them (`-target-cpu haswell`).
enum LIFKernels {
  /// Forward step t (reference README §1.2): reads mem[t], syn[t], h[t]; writes s[t], the
  /// surrogate derivative at u = mem[t] - thr (when `surrogate` is non-nil) and mem[t+1], syn[t+1].
  /// `mem[t+1] = (beta mem[t] + syn[t]) (1 - s[t])`: the OLD syn, reset factor detached.
  @inline(__always)
  static func forwardStep(
    n: Int, h: UnsafePointer<Float>, syn: UnsafeMutablePointer<Float>, mem: UnsafeMutablePointer<Float>,
    spikes: UnsafeMutablePointer<Float>, surrogate: UnsafeMutablePointer<Float>?, p: LIFParameters
  ) {
    let alpha = p.alpha, beta = p.beta, thr = p.threshold, scale = p.surrogateScale
    if let sg = surrogate {
      for i in 0..<n {
        let m = mem[i]
        let u = m - thr
        let s: Float = u > 0 ? 1 : 0
        spikes[i] = s
        let d = scale * abs(u) + 1
        sg[i] = 1 / (d * d)
        let y = syn[i]
        syn[i] = alpha * y + h[i]
        mem[i] = (beta * m + y) * (1 - s)
      }
    } else {
      for i in 0..<n {
        let m = mem[i]
        let s: Float = m - thr > 0 ? 1 : 0
        spikes[i] = s
        let y = syn[i]
        syn[i] = alpha * y + h[i]
        mem[i] = (beta * m + y) * (1 - s)
      }
    }
  }

  /// Backward step t. In: gsyn = dL/dsyn[t+1], gmem = dL/dmem[t+1], gs = total dL/ds[t].
  /// Out: gh[t] = dL/dh[t] = gsyn[t+1]; gmem[t] = beta (1 - s) gmem[t+1] + sg gs;
  /// gsyn[t] = alpha gsyn[t+1] + (1 - s) gmem[t+1].
  @inline(__always)
  static func backwardStep(
    n: Int, gh: UnsafeMutablePointer<Float>, gsyn: UnsafeMutablePointer<Float>, gmem: UnsafeMutablePointer<Float>,
    gs: UnsafePointer<Float>, spikes: UnsafePointer<Float>, surrogate: UnsafePointer<Float>, alpha: Float, beta: Float
  ) {
    for i in 0..<n {
      let keep = 1 - spikes[i]
      let gy = gsyn[i]
      let gm = gmem[i]
      gh[i] = gy
      gmem[i] = beta * keep * gm + surrogate[i] * gs[i]
      gsyn[i] = alpha * gy + keep * gm
    }
  }

  /// `y[0..<n] += a * x[0..<n]`.
  @inline(__always)
  static func axpy(n: Int, a: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for i in 0..<n { y[i] += a * x[i] }
  }
}
