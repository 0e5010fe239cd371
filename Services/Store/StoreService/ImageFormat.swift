import KefuModel

/// Recognises the image formats Kefu accepts by their first bytes (the magic number), never by a name.
enum ImageFormat {
    /// The largest image stored: 5 MiB.
    static let maxBytes = 5 * 1024 * 1024

    /// The format `bytes` starts with, or nil when it is none of PNG, JPEG, GIF and WebP.
    static func detect(_ bytes: [UInt8]) -> ImageRef.MIMEType? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return .gif }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return .webp
        }
        return nil
    }
}
