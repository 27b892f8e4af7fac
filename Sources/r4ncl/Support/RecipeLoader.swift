import ArgumentParser
import Foundation
import Learner
import Node
import Yams

/// Finds a training recipe by name (built in) or path (a YAML file like `presets/recipes/r4ncl.yaml`).
enum RecipeLoader {
  static func load(_ nameOrPath: String) throws -> TrainingRecipe {
    if let builtIn = TrainingRecipe.builtIn[nameOrPath] { return builtIn }
    guard FileManager.default.fileExists(atPath: nameOrPath) else {
      throw TrainingRecipeError.unknown(name: nameOrPath, known: TrainingRecipe.builtIn.keys.sorted())
    }
    let text: String
    do { text = try TextFile.read(nameOrPath) } catch { throw ValidationError("training recipe \(error)") }
    do {
      guard let node = try BoundedYAML.compose(text) else { throw ValidationError("the file is empty") }
      let recipe = try YAMLDecoder().decode(TrainingRecipe.self, from: node)
      try recipe.validate()
      return recipe
    } catch let error as TrainingRecipeError {
      throw ValidationError("\(nameOrPath): \(error)")
    } catch {
      throw ValidationError("\(nameOrPath): not a training recipe: \(error)")
    }
  }

  /// Parses `shift=0.1,stretch=0.15,channels=20,drop=0.15` (any subset) or `none`.
  static func augmentation(_ text: String) throws -> AugmentationPolicy? {
    if text == "none" { return nil }
    var policy = AugmentationPolicy()
    for part in text.split(separator: ",") {
      let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard kv.count == 2, let value = Double(kv[1]) else { throw ValidationError("--augment '\(text)': expected key=value pairs like shift=0.1,stretch=0.15,channels=20,drop=0.15") }
      switch kv[0] {
      case "shift": policy.timeShift = value
      case "stretch": policy.stretch = value
      case "channels":
        guard let shift = Int(exactly: value.rounded()), shift >= 0 else { throw ValidationError("--augment: channels must be a whole number >= 0, got \(value)") }
        policy.channelShift = shift
      case "drop": policy.dropout = value
      default: throw ValidationError("--augment: unknown key '\(kv[0])' (shift, stretch, channels, drop)")
      }
    }
    try policy.validate()
    return policy
  }

  /// Parses `QUANTILE,LEAD` (e.g. `0.05,0.1`) or `none`.
  static func onset(_ text: String) throws -> OnsetAlignment? {
    if text == "none" { return nil }
    let parts = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.count == 2 else { throw ValidationError("--onset '\(text)': expected QUANTILE,LEAD like 0.05,0.1 or none") }
    return OnsetAlignment(quantile: parts[0], lead: parts[1])
  }
}
