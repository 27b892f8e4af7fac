import Foundation

/// Setting knobs by name, for command-line overrides (`--set depth=2`) and YAML presets.
extension ContinualSettings {
  /// Every knob name `set(_:_:)` accepts.
  public static let knobNames: [String] = [
    "method", "strategy", "hidden", "timesteps", "pretrain_timesteps", "learn_timesteps", "max_time", "depth",
    "codec", "replay_per_class", "pretrain_thresholds", "learn_thresholds", "pretrain_lr", "learn_lr",
    "pretrain_epochs", "epochs", "optimizer", "batch_size", "adaptive", "adaptive_rate", "adaptive_lower",
    "adaptive_upper", "readout_mean", "readout_std", "seed", "threads", "pretrain_recipe",
  ]

  /// Sets the knob `key` from its text form: numbers, `true`/`false`, lists as `a,b,c` (or
  /// YAML-style `[a, b, c]`); a single threshold applies to every layer; `learn_thresholds`
  /// accepts `keep`. Throws `ContinualError.invalidSetting` naming the knob.
  public mutating func set(_ key: String, _ value: String) throws {
    let k = key.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_").lowercased()
    let v = value.trimmingCharacters(in: .whitespaces)
    func bad(_ why: String) -> ContinualError { .invalidSetting(field: k, reason: why) }
    func int() throws -> Int { guard let x = Int(v) else { throw bad("needs an integer, got '\(v)'") }; return x }
    func float() throws -> Float { guard let x = Float(v), x.isFinite else { throw bad("needs a number, got '\(v)'") }; return x }
    func bool() throws -> Bool {
      switch v.lowercased() {
      case "true", "yes", "on", "1": return true
      case "false", "no", "off", "0": return false
      default: throw bad("needs true or false, got '\(v)'")
      }
    }
    func list() -> [String] {
      v.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")).split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }
    }
    func floats() throws -> [Float] {
      let xs = list().compactMap { Float($0) }
      guard !xs.isEmpty, xs.count == list().count else { throw bad("needs a number or a list of numbers, got '\(v)'") }
      return xs.count == 1 ? [Float](repeating: xs[0], count: hiddenSizes.count) : xs
    }
    switch k {
    case "method": method = v
    case "strategy":
      guard let s = ContinualStrategy(rawValue: v.lowercased()) else { throw bad("must be naive, joint or replay, got '\(v)'") }
      strategy = s
    case "hidden":
      let xs = list().compactMap { Int($0) }
      guard !xs.isEmpty, xs.count == list().count else { throw bad("needs a list of integers, got '\(v)'") }
      hiddenSizes = xs
    case "timesteps":
      pretrainTimesteps = try int()
      learnTimesteps = pretrainTimesteps
    case "pretrain_timesteps": pretrainTimesteps = try int()
    case "learn_timesteps": learnTimesteps = try int()
    case "max_time":
      guard let x = Double(v) else { throw bad("needs seconds, got '\(v)'") }
      maxTime = x
    case "depth": depth = try int()
    case "codec": codec = v
    case "replay_per_class": replaySamplesPerClass = try int()
    case "pretrain_thresholds": pretrainThresholds = try floats()
    case "learn_thresholds": learnThresholds = v.lowercased() == "keep" ? nil : try floats()
    case "pretrain_lr": pretrainLearningRate = try float()
    case "learn_lr", "lr": learnLearningRate = try float()
    case "pretrain_epochs": pretrainEpochs = try int()
    case "epochs": learnEpochs = try int()
    case "optimizer":
      guard let o = OptimizerKind(rawValue: v.lowercased()) else { throw bad("must be adamax or adam, got '\(v)'") }
      optimizer = o
    case "batch_size": batchSize = try int()
    case "adaptive": adaptiveThreshold.enabled = try bool()
    case "adaptive_rate": adaptiveThreshold.rate = try float()
    case "adaptive_lower": adaptiveThreshold.lower = try float()
    case "adaptive_upper": adaptiveThreshold.upper = try float()
    case "readout_mean": newReadoutMean = try float()
    case "readout_std": newReadoutStd = try float()
    case "seed":
      guard let s = UInt64(v) else { throw bad("needs a non-negative integer, got '\(v)'") }
      seed = s
    case "threads": threads = try int()
    case "pretrain_recipe":
      if v.lowercased() == "none" {
        adopt(recipe: nil)
      } else {
        guard let r = TrainingRecipe.builtIn[v.lowercased()] else {
          throw bad("must be none or a built-in recipe (\(TrainingRecipe.builtIn.keys.sorted().joined(separator: ", "))), got '\(v)'")
        }
        adopt(recipe: r)
      }
    default:
      throw ContinualError.invalidSetting(field: key, reason: "is not a knob (known: \(Self.knobNames.joined(separator: ", ")))")
    }
  }

  /// Applies `key=value` overrides in order.
  public mutating func apply(overrides: [(key: String, value: String)]) throws {
    for o in overrides { try set(o.key, o.value) }
  }
}
