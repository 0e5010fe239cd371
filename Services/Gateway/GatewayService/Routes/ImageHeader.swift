import KefuModel

/// What an image's header says, decoded before the image is stored: its type and its dimensions.
///
/// Not just the magic number: PNG needs a well-formed `IHDR` chunk with a matching CRC, GIF a logical
/// screen and a first image descriptor inside it, JPEG a start-of-frame segment, WebP a `VP8 `, `VP8L` or
/// `VP8X` chunk with its own signature. Dimensions must be 1…16384 each and at most 40 megapixels.
struct ImageHeader: Sendable, Equatable {
    var mimeType: ImageRef.MIMEType
    var width: Int
    var height: Int

    /// The largest side accepted.
    static let maxSide = 16_384
    /// The largest area accepted (a guard against decompression bombs in whoever renders it).
    static let maxPixels = 40_000_000

    /// Why bytes were refused.
    enum Problem: Error, Equatable {
        /// Not PNG, JPEG, GIF or WebP by the magic number.
        case unknownType
        /// The magic number matches but the header does not decode.
        case damaged(ImageRef.MIMEType)
        /// Dimensions out of range.
        case tooLarge(width: Int, height: Int)
    }

    /// The MIME type by the magic number only (for serving bytes store already accepted).
    static func sniff(_ bytes: [UInt8]) -> ImageRef.MIMEType? {
        if bytes.starts(with: pngSignature) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return .gif }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return .webp }
        return nil
    }

    /// Decodes the header of `bytes`.
    static func decode(_ bytes: [UInt8]) throws(Problem) -> ImageHeader {
        guard let type = sniff(bytes) else { throw .unknownType }
        let size: (Int, Int)?
        switch type {
        case .png: size = png(bytes)
        case .jpeg: size = jpeg(bytes)
        case .gif: size = gif(bytes)
        case .webp: size = webp(bytes)
        }
        guard let (width, height) = size, width > 0, height > 0 else { throw .damaged(type) }
        guard width <= maxSide, height <= maxSide, width * height <= maxPixels else { throw .tooLarge(width: width, height: height) }
        return ImageHeader(mimeType: type, width: width, height: height)
    }

    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    private static func be32(_ b: [UInt8], _ i: Int) -> Int {
        Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
    }

    private static func le16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }

    private static func le24(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 }

    /// `IHDR` right after the signature: length 13, valid depth/colour combination, matching CRC; then
    /// chunks whose lengths stay inside the file up to the first `IDAT`.
    private static func png(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 8 + 25 + 12, be32(b, 8) == 13, Array(b[12..<16]) == Array("IHDR".utf8) else { return nil }
        let width = be32(b, 16), height = be32(b, 20)
        let depth = b[24], colour = b[25]
        let depths: [UInt8: Set<UInt8>] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard depths[colour]?.contains(depth) == true, b[26] == 0, b[27] == 0, b[28] <= 1 else { return nil }
        guard CRC32.checksum(b[12..<29]) == UInt32(be32(b, 29)) else { return nil }
        var i = 33
        while i + 8 <= b.count {
            let length = be32(b, i)
            if Array(b[(i + 4)..<(i + 8)]) == Array("IDAT".utf8) { return length > 0 && i + 12 + length <= b.count ? (width, height) : nil }
            i += 12 + length
        }
        return nil
    }

    /// Segments after SOI up to a start-of-frame (SOF0–SOF15 except DHT, JPG and DAC).
    private static func jpeg(_ b: [UInt8]) -> (Int, Int)? {
        var i = 2
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            if marker == 0xD9 || marker == 0xDA { return nil }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 2, i + 2 + length <= b.count else { return nil }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard length >= 8, i + 9 < b.count else { return nil }
                let height = Int(b[i + 5]) << 8 | Int(b[i + 6])
                let width = Int(b[i + 7]) << 8 | Int(b[i + 8])
                let components = Int(b[i + 9])
                guard (1...4).contains(components), length == 8 + 3 * components else { return nil }
                return (width, height)
            }
            i += 2 + length
        }
        return nil
    }

    /// Logical screen, optional global colour table, extensions, then an image descriptor that fits in the
    /// screen and is followed by LZW data.
    private static func gif(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 13 else { return nil }
        let width = le16(b, 6), height = le16(b, 8)
        var i = 13
        if b[10] & 0x80 != 0 { i += 3 << (Int(b[10] & 0x07) + 1) }
        while i < b.count {
            switch b[i] {
            case 0x21:
                i += 2
                while i < b.count, b[i] != 0 { i += Int(b[i]) + 1 }
                i += 1
            case 0x2C:
                guard i + 10 < b.count else { return nil }
                let left = le16(b, i + 1), top = le16(b, i + 3), w = le16(b, i + 5), h = le16(b, i + 7)
                guard w > 0, h > 0, left + w <= width, top + h <= height else { return nil }
                var j = i + 10
                if b[i + 9] & 0x80 != 0 { j += 3 << (Int(b[i + 9] & 0x07) + 1) }
                guard j + 1 < b.count, (2...12).contains(b[j]), b[j + 1] > 0 else { return nil }
                return (width, height)
            default:
                return nil
            }
        }
        return nil
    }

    /// RIFF size within the file, then the first chunk's own header.
    private static func webp(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 30 else { return nil }
        let riffSize = Int(b[4]) | Int(b[5]) << 8 | Int(b[6]) << 16 | Int(b[7]) << 24
        guard riffSize + 8 <= b.count, riffSize >= 22 else { return nil }
        let chunk = String(decoding: b[12..<16], as: UTF8.self)
        let data = 20
        switch chunk {
        case "VP8 ":
            guard b[data + 3] == 0x9D, b[data + 4] == 0x01, b[data + 5] == 0x2A, b[data] & 0x01 == 0 else { return nil }
            return (le16(b, data + 6) & 0x3FFF, le16(b, data + 8) & 0x3FFF)
        case "VP8L":
            guard b[data] == 0x2F else { return nil }
            let bits = Int(b[data + 1]) | Int(b[data + 2]) << 8 | Int(b[data + 3]) << 16 | Int(b[data + 4]) << 24
            guard bits >> 29 == 0 else { return nil }
            return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            return (le24(b, data + 4) + 1, le24(b, data + 7) + 1)
        default:
            return nil
        }
    }
}

/// CRC-32 (ISO-HDLC, as PNG uses).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The checksum of `bytes`.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
