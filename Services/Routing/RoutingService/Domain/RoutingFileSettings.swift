import KefuModel

/// What visitors and agents may send as files (JSON key `files`): a size limit and an allow-list of
/// types, each recognised by content (``FileType/detect(_:)``).
public struct RoutingFileSettings: Sendable, Hashable, Codable {
    /// Default limit: 10 MiB.
    public static let defaultMaxBytes = 10 * 1024 * 1024

    /// The largest file accepted, in bytes (1,024...52,428,800).
    public var maxBytes: Int
    /// The accepted types by short name (`pdf`, `docx`, `xlsx`, `pptx`, `doc`, `xls`, `ppt`, `txt`, `zip`,
    /// `gz`, `7z`, `rar`); empty turns file sending off.
    public var allowedTypes: [String]

    /// Creates file settings; the defaults allow every type up to 10 MiB.
    public init(maxBytes: Int = defaultMaxBytes, allowedTypes: [String] = FileType.allCases.map(\.key)) {
        self.maxBytes = maxBytes
        self.allowedTypes = allowedTypes
    }

    /// The allowed types as values (unknown names, refused by validation, are skipped).
    public var allowed: [FileType] { allowedTypes.compactMap(FileType.init(key:)) }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case maxBytes = "max_bytes"
        case allowedTypes = "allowed_types"
    }

    /// Missing keys take their defaults; unknown keys are refused.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self()
        maxBytes = try container.decode(.maxBytes, default: defaults.maxBytes)
        allowedTypes = try container.decode(.allowedTypes, default: defaults.allowedTypes)
    }

    /// The problems of these settings under `path`.
    func validationIssues(path: String) -> [RoutingConfigIssue] {
        var check = RoutingSettingsChecker()
        check.range(maxBytes, 1_024...FileRef.maxBytes, RoutingFieldPath.join(path, "max_bytes"), hint: "at most 50 MiB")
        let known = FileType.allCases.map(\.key)
        for (index, name) in allowedTypes.enumerated() where FileType(key: name) == nil {
            check.fail(RoutingFieldPath.index(RoutingFieldPath.join(path, "allowed_types"), index), .invalidFormat,
                       "unknown file type \"\(name.prefix(40))\"; use \(known.joined(separator: ", "))")
        }
        return check.issues
    }
}
