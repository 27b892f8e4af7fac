/// The auditory-nerve fibres of 8 channels: per channel `fibres` fibres, each Bernoulli(p) per
/// sample and refractory for `refractory - 1` samples after a spike (lauscher `_sample` +
/// `_correct`: a draw at k is kept iff k - last >= refractory).
///
/// Fibres are exchangeable, so instead of 40 Bernoulli draws per channel and sample we draw the
/// number of firing fibres as Binomial(available, p), available = fibres minus those that fired
/// in the last `refractory - 1` samples (kept in a ring buffer of counts). This has exactly the
/// distribution of per-fibre sampling. The binomial is drawn by inverse transform with one
/// uniform, walking the pmf recurrence P(k+1) = P(k) (n-k)/(k+1) p/(1-p): n p is at most a few,
/// so it takes one to three steps.
struct FibrePool: Sendable {
  let fibres: Lanes
  /// Refractory window minus one: the ring holds the counts of the last `window` samples.
  let window: Int
  /// 1/(k+1) for k = 0..fibres.
  let reciprocals: [Float]

  init(parameters: BushyParameters, rate: Double) {
    fibres = Lanes(repeating: Float(parameters.fibres))
    window = Int((parameters.tauRefrac * rate).rounded()) - 1
    reciprocals = (0...parameters.fibres).map { 1 / Float($0 + 1) }
  }

  /// Number of fibres that fire now, given firing probability `p` and `refractory` = count of
  /// fibres still refractory. `u` is one uniform per lane.
  @inline(__always)
  func draw(p rawP: Lanes, refractory: Lanes, u: Lanes) -> Lanes {
    let p = clampLanes(rawP, 0, 0.99)
    let q = 1 - p
    let available = fibres - refractory
    // P(0) = q^available by binary powering. `available` is a small whole number, so adding 2^23
    // puts it in the low mantissa bits: a conversion without the slow generic Float->Int path.
    var e = unsafeBitCast(available + 8_388_608, to: SIMD8<Int32>.self) & 0xFF
    var base = q
    var pk = Lanes(repeating: 1)
    for _ in 0..<6 {
      pk = select(bits: 0 &- (e & 1), pk * base, pk)
      base *= base
      e &>>= 1
    }
    let ratio = p / q
    var cdf = pk
    var count = Lanes()
    var more = u .>= cdf
    var k = 0
    while anyLane(more) {
      pk = pk * (available - Float(k)) * ratio * reciprocals[min(k, reciprocals.count - 1)]
      cdf += pk
      count += keep(Lanes(repeating: 1), where: more)
      k += 1
      more = more .& (u .>= cdf) .& (count .< available)
    }
    return count
  }
}
