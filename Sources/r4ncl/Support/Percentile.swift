/// The p-th percentile (0...100) of ascending `sorted` values, interpolating linearly between
/// order statistics as numpy.percentile does; NaN when there are none. One definition for every
/// latency the tool reports.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
  guard !sorted.isEmpty else { return .nan }
  let x = p / 100 * Double(sorted.count - 1)
  let lo = Int(x.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - Double(lo))
}
