/// A file type Kefu accepts besides images, recognised by content (``detect(_:)``), never by name.
///
/// The raw value is the MIME type on the wire; ``key`` is the short name admins list in
/// `files.allowed_types`.
public enum FileType: String, WireEnum {
    /// PDF (`%PDF-`).
    case pdf = "application/pdf"
    /// Word (OOXML: a ZIP with `[Content_Types].xml` and `word/`).
    case docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    /// Excel (OOXML: `xl/`).
    case xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    /// PowerPoint (OOXML: `ppt/`).
    case pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    /// Legacy Word (OLE compound file with a `WordDocument` stream).
    case doc = "application/msword"
    /// Legacy Excel (OLE compound file with a `Workbook` or `Book` stream).
    case xls = "application/vnd.ms-excel"
    /// Legacy PowerPoint (OLE compound file with a `PowerPoint Document` stream).
    case ppt = "application/vnd.ms-powerpoint"
    /// Plain text: valid UTF-8 without NUL bytes.
    case txt = "text/plain"
    /// A ZIP archive that is not an Office document.
    case zip = "application/zip"
    /// gzip.
    case gz = "application/gzip"
    /// 7-Zip.
    case sevenZip = "application/x-7z-compressed"
    /// RAR (4 and 5).
    case rar = "application/vnd.rar"

    /// The short name used in settings: `pdf`, `docx`, `xlsx`, `pptx`, `doc`, `xls`, `ppt`, `txt`, `zip`,
    /// `gz`, `7z`, `rar`.
    public var key: String {
        switch self {
        case .sevenZip: "7z"
        default: String(describing: self)
        }
    }

    /// The type named `key` in settings.
    public init?(key: String) {
        guard let found = Self.allCases.first(where: { $0.key == key }) else { return nil }
        self = found
    }

    /// The usual file extension, used when a download name lacks one.
    public var fileExtension: String { key }

    /// The type `bytes` show, or nil when they are none of the accepted types (or a damaged ZIP or
    /// compound file).
    public static func detect(_ bytes: [UInt8]) -> FileType? {
        if bytes.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            guard let names = ZipDirectory.names(bytes) else { return nil }
            guard names.contains("[Content_Types].xml") else { return .zip }
            if names.contains(where: { $0.hasPrefix("word/") }) { return .docx }
            if names.contains(where: { $0.hasPrefix("xl/") }) { return .xlsx }
            if names.contains(where: { $0.hasPrefix("ppt/") }) { return .pptx }
            return .zip
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return CompoundFile.type(bytes) }
        if bytes.starts(with: [0x1F, 0x8B, 0x08]) { return .gz }
        if bytes.starts(with: [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return .sevenZip }
        if bytes.starts(with: [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x00])
            || bytes.starts(with: [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00])
        {
            return .rar
        }
        if !bytes.isEmpty, !bytes.contains(0), String(validating: bytes, as: UTF8.self) != nil { return .txt }
        return nil
    }
}

/// The entry names of a ZIP file's central directory.
enum ZipDirectory {
    /// The names, or nil when the end-of-central-directory record or the directory is missing or damaged.
    static func names(_ bytes: [UInt8]) -> [String]? {
        guard bytes.count >= 22 else { return nil }
        let lowest = max(0, bytes.count - 22 - 65_535)
        var end = bytes.count - 22
        while end >= lowest, !(bytes[end] == 0x50 && bytes[end + 1] == 0x4B && bytes[end + 2] == 0x05 && bytes[end + 3] == 0x06) {
            end -= 1
        }
        guard end >= lowest else { return nil }
        let count = Int(bytes.uint16(at: end + 10))
        var offset = Int(bytes.uint32(at: end + 16))
        var names: [String] = []
        for _ in 0..<count {
            guard offset + 46 <= bytes.count, bytes.uint32(at: offset) == 0x0201_4B50 else { return nil }
            let nameLength = Int(bytes.uint16(at: offset + 28))
            let extraLength = Int(bytes.uint16(at: offset + 30))
            let commentLength = Int(bytes.uint16(at: offset + 32))
            guard offset + 46 + nameLength <= bytes.count else { return nil }
            names.append(String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self))
            offset += 46 + nameLength + extraLength + commentLength
        }
        return names
    }
}

/// The legacy Office formats inside an OLE compound file, told apart by their directory entries.
enum CompoundFile {
    /// `doc`, `xls` or `ppt` by the stream names in the directory; nil for another compound file.
    static func type(_ bytes: [UInt8]) -> FileType? {
        guard bytes.count >= 512 else { return nil }
        let shift = Int(bytes.uint16(at: 0x1E))
        guard shift == 9 || shift == 12 else { return nil }
        let sector = 1 << shift
        var entry = sector
        var names: Set<String> = []
        while entry + 128 <= bytes.count {
            let length = Int(bytes.uint16(at: entry + 64))
            if length >= 4, length <= 64, length % 2 == 0, bytes[entry + 66] == 2 {
                let units = stride(from: entry, to: entry + length - 2, by: 2).map { bytes.uint16(at: $0) }
                names.insert(String(decoding: units, as: UTF16.self))
            }
            entry += 128
        }
        if names.contains("WordDocument") { return .doc }
        if names.contains("Workbook") || names.contains("Book") { return .xls }
        if names.contains("PowerPoint Document") { return .ppt }
        return nil
    }
}

extension [UInt8] {
    func uint16(at offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }

    func uint32(at offset: Int) -> UInt32 { UInt32(uint16(at: offset)) | UInt32(uint16(at: offset + 2)) << 16 }
}
