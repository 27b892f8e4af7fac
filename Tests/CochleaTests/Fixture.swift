import Foundation
import XCTest

/// Loads a JSON reference file from the test bundle's Fixtures folder.
func loadFixture(_ name: String) throws -> [String: Any] {
  let url = try XCTUnwrap(
    Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
    "missing fixture \(name).json")
  let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
  return try XCTUnwrap(object as? [String: Any], "\(name).json is not a JSON object")
}

func doubles(_ any: Any?) -> [Double] { (any as? [NSNumber])?.map(\.doubleValue) ?? [] }
func matrix(_ any: Any?) -> [[Double]] { (any as? [Any])?.map(doubles) ?? [] }
