import Foundation

/// The matrix products a dense implementation (e.g. the PyTorch twin) runs for one training step
/// of a batch, and the BPTT memory this engine keeps per sample. The benchmark times these
/// products with BLAS to state how close the engine runs to the machine's dense GEMM rate.
public struct DenseEquivalent: Sendable {
  /// One GEMM shape `[m, k] x [k, n]`, run `repeats` times per step (per-step recurrent products).
  public struct Product: Sendable, Equatable {
    public var m: Int, n: Int, k: Int
    public var transA: Bool, transB: Bool
    public var repeats: Int
    /// 2 m n k per run.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) * Double(repeats) }
  }

  /// Forward + backward products of one training step (all layers trainable, dense input).
  public let products: [Product]

  public init(config: NetworkConfig, batch B: Int) {
    let s = config.sizes, T = config.timesteps, L = config.hiddenLayerCount, c = config.classCount
    var p: [Product] = []
    func add(_ m: Int, _ n: Int, _ k: Int, _ ta: Bool = false, _ tb: Bool = false, _ r: Int = 1) {
      p.append(Product(m: m, n: n, k: k, transA: ta, transB: tb, repeats: r))
    }
    for l in 0..<L {
      add(T * B, s[l + 1], s[l])                                            // x W (all steps)
      if config.recurrent[l] { add(B, s[l + 1], s[l + 1], false, false, T - 1) }  // s[t-1] V
    }
    add(T * B, c, s[L])                                                     // s_L Wout
    add(s[L], c, T * B, true)                                               // dWout
    add(T * B, s[L], c, false, true)                                        // dS_L
    for l in stride(from: L - 1, through: 0, by: -1) {
      if config.recurrent[l] {
        add(B, s[l + 1], s[l + 1], false, true, T - 1)                      // dh[t+1] V^T
        add(s[l + 1], s[l + 1], (T - 1) * B, true)                          // dV
      }
      add(s[l], s[l + 1], T * B, true)                                      // dW
      if l > 0 { add(T * B, s[l], s[l + 1], false, true) }                  // dS_{l-1}
    }
    products = p
  }

  /// Total FLOPs of the dense step.
  public var flops: Double { products.reduce(0) { $0 + $1.flops } }

  /// Seconds OpenBLAS (one thread) takes for all products once, best of `repeats` runs.
  public func blasSeconds(repeats: Int = 3) -> Double {
    _ = BLAS.singleThreaded
    let buffers = products.map { q in
      (FloatBuffer(count: q.m * q.k), FloatBuffer(count: q.k * q.n), FloatBuffer(count: q.m * q.n))
    }
    for (a, b, _) in buffers {
      for i in 0..<a.count { a.pointer[i] = Float(i % 7) * 0.01 }
      for i in 0..<b.count { b.pointer[i] = Float(i % 5) * 0.01 }
    }
    var best = Double.infinity
    for _ in 0..<max(repeats, 1) {
      let t0 = DispatchTime.now().uptimeNanoseconds
      for (q, (a, b, c)) in zip(products, buffers) {
        for _ in 0..<q.repeats {
          BLAS.gemm(
            transA: q.transA, transB: q.transB, m: q.m, n: q.n, k: q.k, a: a.pointer, lda: q.transA ? q.m : q.k,
            b: b.pointer, ldb: q.transB ? q.k : q.n, beta: 0, c: c.pointer, ldc: q.n)
        }
      }
      best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    return best
  }

  /// GFLOP/s of one large single-threaded sgemm `[m, k] x [k, n]` (the machine's practical peak).
  public static func blasPeakGFLOPs(m: Int = 256, n: Int = 256, k: Int = 700, repeats: Int = 20) -> Double {
    let q = DenseEquivalent(products: [Product(m: m, n: n, k: k, transA: false, transB: false, repeats: repeats)])
    return q.flops / q.blasSeconds() / 1e9
  }

  private init(products: [Product]) { self.products = products }

  /// Bytes this engine keeps per sample for BPTT in training (the `[T][N]` tensors of every
  /// hidden layer and the readout that the backward pass reads or writes), at the network's T.
  public static func bpttBytesPerSample(config: NetworkConfig) -> Int {
    let layout = ParameterLayout(config: config)
    return Workspace.bytesPerSample(layout: layout, timesteps: config.timesteps)
  }
}
