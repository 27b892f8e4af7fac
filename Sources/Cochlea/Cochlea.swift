import Foundation

/// The cochlea model used to make SHD-format data: 48 kHz audio -> 700 channels of bushy-cell
/// spikes (gammatone filterbank, Meddis hair cells, 40 fibres per bushy cell), after lauscher
/// 1.0.1's `Wave2Spike` chain. Immutable and thread-safe; one `CochleaStream` per clip.
public struct Cochlea: Sendable {
  public let parameters: CochleaParameters
  public let bank: GammatoneBank
  let hairCell: MeddisHairCell
  let fibres: FibrePool
  let bushy: BushyCell

  public init(parameters: CochleaParameters = CochleaParameters()) {
    self.parameters = parameters
    bank = GammatoneBank(parameters: parameters)
    hairCell = MeddisHairCell(parameters: parameters.hairCell, rate: parameters.modelRate)
    fibres = FibrePool(parameters: parameters.bushyCell, rate: parameters.modelRate)
    bushy = BushyCell(parameters: parameters.bushyCell, rate: parameters.modelRate)
  }

  var groupCount: Int { (parameters.channelCount + laneCount - 1) / laneCount }

  /// Converts a whole clip as lauscher does: RMS-normalise to `targetRMS`, Hann taper over the
  /// clip, then the streaming cochlea in one chunk.
  public func convert(_ audio: [Float], seed: UInt64) -> CochleaSpikes {
    CochleaStream(cochlea: self, seed: seed).process(prepare(audio))
  }

  /// The whole-clip preprocessing: scale to RMS `targetRMS` (silence stays silence), then
  /// multiply by the Hann window 0.5 - 0.5 cos(2 pi n / (N - 1)) (numpy `hanning`).
  public func prepare(_ audio: [Float]) -> [Float] {
    let n = audio.count
    guard n > 1 else { return audio }
    var sum = 0.0
    for x in audio { sum += Double(x) * Double(x) }
    let rms = (sum / Double(n)).squareRoot()
    let gain = rms > 0 ? parameters.targetRMS / rms : 0
    var out = [Float](repeating: 0, count: n)
    let step = 2 * Double.pi / Double(n - 1)
    for i in 0..<n {
      out[i] = Float(Double(audio[i]) * gain * (0.5 - 0.5 * cos(step * Double(i))))
    }
    return out
  }
}
