import Foundation
import Storage

/// The classes a command works on, from an option such as `--classes` (text form:
/// `ClassIDList`, "all", "0-18", "0-9,15").
struct ClassSelection: Equatable {
  /// The ids, nil meaning every class.
  let classes: Set<Int>?
  /// The option the text came from, for errors.
  let option: String

  /// Why a class list is malformed or names a class the data lacks (one line for the CLI).
  struct ParseError: Error, CustomStringConvertible {
    let description: String
  }

  init(parsing text: String, option: String = "--classes") throws {
    do {
      classes = try ClassIDList(parsing: text).ids.map(Set.init)
    } catch let error as ClassIDList.ParseError {
      throw ParseError(description: "\(option) '\(text)': \(error)")
    }
    self.option = option
  }

  /// Checks every id against the dataset's class count.
  func validate(classCount: Int, file: String) throws {
    guard let classes, let bad = classes.max(), bad >= classCount else { return }
    throw ParseError(description: "\(option): class \(bad) does not exist in \(file) (it has \(classCount) classes, 0-\(classCount - 1))")
  }

  /// A compact description ("all", "0-18", "0-9,15").
  var summary: String {
    guard let classes else { return "all" }
    return Self.summary(Array(classes))
  }

  /// A compact description of `ids` ("0-18", "0-9,15").
  static func summary(_ ids: [Int]) -> String { ClassIDList.summary(ids) }
}
