import Foundation

/// Small real files of each accepted type, built byte by byte (ZIP with stored entries, an OLE compound
/// file with one directory sector).
enum FileSamples {
    static let pdf = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
    static let text = Array("报价单：第一行\nsecond line\tok\n".utf8)
    static let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    static let sevenZip: [UInt8] = [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0x00, 0x04] + Array(repeating: 0, count: 24)
    static let rar: [UInt8] = Array("Rar!".utf8) + [0x1A, 0x07, 0x01, 0x00] + Array(repeating: 0, count: 16)
    /// A Windows executable header: NUL bytes, so not text, and no accepted magic number.
    static let executable: [UInt8] = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00] + Array(repeating: 0, count: 56)

    static var docx: [UInt8] { zip(["[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>", "word/document.xml": "<w:document/>"]) }
    static var xlsx: [UInt8] { zip(["[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"]) }
    static var pptx: [UInt8] { zip(["[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<presentation/>"]) }
    static var plainZip: [UInt8] { zip(["readme.txt": "hello", "data/a.csv": "a,b"]) }

    /// A ZIP with stored (uncompressed) entries and a central directory.
    static func zip(_ entries: KeyValuePairs<String, String>) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] }
        func le32(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + le16((value >> 16) & 0xFFFF) }
        for (name, content) in entries {
            let nameBytes = Array(name.utf8)
            let data = Array(content.utf8)
            let offset = out.count
            out += [0x50, 0x4B, 0x03, 0x04] + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
            out += le32(data.count) + le32(data.count) + le16(nameBytes.count) + le16(0) + nameBytes + data
            central += [0x50, 0x4B, 0x01, 0x02] + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
            central += le32(data.count) + le32(data.count) + le16(nameBytes.count) + le16(0) + le16(0) + le16(0) + le16(0)
            central += le32(0) + le32(offset) + nameBytes
        }
        let start = out.count
        out += central
        out += [0x50, 0x4B, 0x05, 0x06] + le16(0) + le16(0) + le16(entries.count) + le16(entries.count)
        out += le32(central.count) + le32(start) + le16(0)
        return out
    }

    /// An OLE compound file (512-byte sectors) whose directory names `stream` besides the root entry.
    static func compound(_ stream: String) -> [UInt8] {
        var header: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504)
        header[0x1A] = 0x3E
        header[0x1C] = 0xFE
        header[0x1D] = 0xFF
        header[0x1E] = 9
        header[0x20] = 6
        var directory: [UInt8] = []
        for (name, type) in [("Root Entry", UInt8(5)), (stream, UInt8(2))] {
            var entry = [UInt8](repeating: 0, count: 128)
            let units = Array(name.utf16) + [0]
            for (index, unit) in units.enumerated() {
                entry[index * 2] = UInt8(unit & 0xFF)
                entry[index * 2 + 1] = UInt8(unit >> 8)
            }
            entry[64] = UInt8(units.count * 2)
            entry[66] = type
            directory += entry
        }
        directory += [UInt8](repeating: 0, count: 256)
        return header + directory
    }
}
