import ArgumentParser
import Foundation
import Node

/// `r4ncl keygen`: writes a CURVE key pair for swarm security.
struct KeygenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keygen",
    abstract: "Write a CURVE key pair (Z85 text files) for authenticated, encrypted swarm links.",
    discussion: """
      Writes DIR/NAME.key (public key: copy it into every peer's security.allowed_keys \
      directory) and DIR/NAME.key_secret (secret key, mode 0600: the node's \
      security.secret_key). Name the key after the node's namespace so peers find it for \
      swarm.peers entries NAME@endpoint.
      """)

  @Option(name: .long, help: "Directory to write the key files into.")
  var dir = "keys"

  @Option(name: .long, help: "Key name (use the node's namespace).")
  var name: String

  func validate() throws {
    guard !name.isEmpty, !name.contains("/") else { throw ValidationError("--name must be non-empty without '/'") }
  }

  func run() throws {
    guard ZMQCurve.isAvailable else { throw CommandFailure("this libzmq has no CURVE support (zmq_has(\"curve\") is false)") }
    let paths = try CurveKeyFiles.generate(directory: dir, name: name)
    print("public key: \(paths.publicPath) (\(try CurveKeyFiles.read(paths.publicPath)))")
    print("secret key: \(paths.secretPath) (mode 0600)")
  }
}
