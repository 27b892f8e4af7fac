import CZeroMQ

/// CURVE key material through libzmq: key pairs, the public key of a secret key, and Z85
/// text for the binary keys ZAP hands over. Keys are 32 bytes, written as 40 Z85 characters.
public enum ZMQCurve {
  /// True when this libzmq was built with CURVE (libsodium or tweetnacl).
  public static var isAvailable: Bool { zmq_has("curve") != 0 }

  /// A fresh key pair (`zmq_curve_keypair`), both as 40 Z85 characters.
  public static func keyPair() throws -> (publicKey: String, secretKey: String) {
    var publicKey = [CChar](repeating: 0, count: 41)
    var secretKey = [CChar](repeating: 0, count: 41)
    if zmq_curve_keypair(&publicKey, &secretKey) != 0 { throw ZMQError.last("zmq_curve_keypair") }
    return (String(cString: publicKey), String(cString: secretKey))
  }

  /// The public key belonging to `secretKey` (`zmq_curve_public`), both Z85.
  public static func publicKey(fromSecret secretKey: String) throws -> String {
    guard isZ85Key(secretKey) else { throw ZMQError.invalidOption("a CURVE secret key must be 40 Z85 characters") }
    var publicKey = [CChar](repeating: 0, count: 41)
    if zmq_curve_public(&publicKey, secretKey) != 0 { throw ZMQError.last("zmq_curve_public") }
    return String(cString: publicKey)
  }

  /// The Z85 text of a binary 32-byte key (e.g. the credentials of a ZAP request).
  public static func z85(_ key: [UInt8]) -> String? {
    guard key.count == 32 else { return nil }
    var text = [CChar](repeating: 0, count: 41)
    let ok = key.withUnsafeBufferPointer { zmq_z85_encode(&text, $0.baseAddress, 32) } != nil
    return ok ? String(cString: text) : nil
  }

  /// True when `text` is 40 characters that decode as Z85 (a CURVE key).
  public static func isZ85Key(_ text: String) -> Bool {
    guard text.utf8.count == 40 else { return false }
    var bytes = [UInt8](repeating: 0, count: 32)
    return zmq_z85_decode(&bytes, text) != nil
  }
}
