import CBLAS

/// Thin row-major wrappers over OpenBLAS `cblas_sgemm`: C = alpha op(A) op(B) + beta C.
enum BLAS {
  /// OpenBLAS runs single-threaded: the engine parallelises over the batch itself, and small
  /// products (N = 20..200) only lose from BLAS threads (PLATFORM.md).
  static let singleThreaded: Void = { openblas_set_num_threads(1) }()

  @inline(__always)
  static func gemm(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    if m == 0 || n == 0 { return }
    if k == 0 {
      if beta == 0 { for r in 0..<m { (c + r * ldc).update(repeating: 0, count: n) } }
      return
    }
    cblas_sgemm(
      CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }
}

/// The OpenBLAS kernels this process runs ("SkylakeX", "Haswell", ...: picked from the CPU unless
/// `OPENBLAS_CORETYPE` names them). They sum in different orders, so a training run repeats bit
/// for bit only on the same kernels; training logs and model files record the name.
public enum BLASKernels {
  public static var name: String { String(cString: openblas_get_corename()) }
}
