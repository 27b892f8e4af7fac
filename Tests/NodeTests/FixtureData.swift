import Foundation

extension Paths {
  /// A fresh temporary directory holding the committed SHD fixture under the names the
  /// commands expect (`shd_train.h5`, `shd_test.h5`: 20 classes, one test sample each).
  static func fixtureDataDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("r4ncl-data-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for split in ["train", "test"] {
      try FileManager.default.copyItem(
        atPath: root + "/Tests/CochleaTests/Fixtures/shd_fixture_\(split).h5", toPath: dir + "/shd_\(split).h5")
    }
    return dir
  }
}
