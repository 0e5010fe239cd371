/// A reference to a file (document, text, archive) stored by Kefu. File bytes never travel through
/// streams; the gateway's upload route stores them and returns the id.
public struct FileRef: Codable, Sendable, Hashable {
    /// The largest file any setting may allow: 50 MiB.
    public static let maxBytes = 50 * 1024 * 1024
    /// The longest file name kept, in characters.
    public static let maxNameLength = 255

    /// The file's id, from the gateway's upload route.
    public var fileID: FileID
    /// The name the sender gave it (shown and offered on download, never used to decide the type).
    public var name: String
    /// The size in bytes.
    public var size: Int
    /// The type found in the bytes.
    public var mimeType: FileType

    /// Creates a reference.
    public init(fileID: FileID, name: String, size: Int, mimeType: FileType) {
        self.fileID = fileID
        self.name = name
        self.size = size
        self.mimeType = mimeType
    }

    enum CodingKeys: String, CodingKey {
        case fileID = "file_id"
        case name, size
        case mimeType = "mime_type"
    }

    /// Checks the name (1-255 characters, no control characters, no `/` or `\`) and the size.
    public func validate(field: String) throws(ContractError) {
        try Self.validateName(name, field: field + ".name")
        try FieldRules.integer(size, in: 1...Self.maxBytes, field: field + ".size")
    }

    /// The file-name rule: 1-255 characters, no control characters, no path separators.
    public static func validateName(_ name: String, field: String) throws(ContractError) {
        let scalars = name.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= maxNameLength else {
            throw .invalidField(field, reason: "must be 1-\(maxNameLength) characters")
        }
        guard !scalars.contains(where: { $0.properties.generalCategory == .control || $0 == "/" || $0 == "\\" }),
              scalars.contains(where: { !$0.properties.isWhitespace })
        else {
            throw .invalidField(field, reason: "must not contain control characters, `/` or `\\`, and must not be blank")
        }
    }
}
