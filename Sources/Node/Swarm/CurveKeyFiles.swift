import Foundation

/// CURVE key files as `r4ncl keygen` writes them: `<name>.key` holds the public key and
/// `<name>.key_secret` the secret key (mode 0600), each as 40 Z85 characters on one line;
/// lines starting with `#` are comments. A directory of `*.key` files is an allowlist.
public enum CurveKeyFiles {
  /// Writes a fresh key pair as `<directory>/<name>.key` and `<name>.key_secret`; returns the
  /// two paths. Refuses to overwrite an existing secret key.
  @discardableResult
  public static func generate(directory: String, name: String) throws -> (publicPath: String, secretPath: String) {
    guard !name.isEmpty, !name.contains("/") else { throw SwarmError.badKeyFile(path: name, reason: "key name must be non-empty without '/'") }
    let pair = try ZMQCurve.keyPair()
    let base = (directory as NSString).appendingPathComponent(name)
    let publicPath = base + ".key", secretPath = base + ".key_secret"
    guard !FileManager.default.fileExists(atPath: secretPath) else {
      throw SwarmError.badKeyFile(path: secretPath, reason: "exists; remove it first to make a new key pair")
    }
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      let header = "# r4ncl CURVE key \"\(name)\" (Z85), made \(Date())\n"
      try (header + pair.publicKey + "\n").write(toFile: publicPath, atomically: true, encoding: .utf8)
      // The secret key is created private before any byte is written.
      guard FileManager.default.createFile(atPath: secretPath, contents: nil, attributes: [.posixPermissions: 0o600]) else {
        throw SwarmError.badKeyFile(path: secretPath, reason: "cannot create")
      }
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: secretPath))
      try handle.write(contentsOf: Data((header + pair.secretKey + "\n").utf8))
      try handle.close()
    } catch let error as SwarmError {
      throw error
    } catch {
      throw SwarmError.badKeyFile(path: base, reason: "\(error.localizedDescription)")
    }
    return (publicPath, secretPath)
  }

  /// The Z85 key in a key file (the first line that is not blank or a comment).
  public static func read(_ path: String) throws -> String {
    let text: String
    do { text = try TextFile.read(path, limit: 1 << 20) } catch let error as TextFileError {
      throw SwarmError.badKeyFile(path: path, reason: "cannot read: \(error.reason)")
    }
    let lines = text.split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    guard let key = lines.first, ZMQCurve.isZ85Key(key) else {
      throw SwarmError.badKeyFile(path: path, reason: "no 40-character Z85 key in it")
    }
    return key
  }

  /// The allowlist: every `*.key` file of `directory`, by file name without `.key`.
  public static func allowed(directory: String) throws -> [String: String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      throw SwarmError.badKeyFile(path: directory, reason: "cannot list the allowed-keys directory")
    }
    var keys: [String: String] = [:]
    for name in names.sorted() where name.hasSuffix(".key") {
      keys[String(name.dropLast(4))] = try read((directory as NSString).appendingPathComponent(name))
    }
    return keys
  }
}
