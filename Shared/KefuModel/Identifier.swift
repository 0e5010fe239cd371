#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A UUID that names one kind of thing, so a session id cannot be passed where an agent id is expected.
///
/// On the wire it is the lowercase 8-4-4-4-12 string; decoding accepts either case.
public struct Identifier<Tag>: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The underlying UUID.
    public let uuid: UUID

    /// Wraps an existing UUID.
    public init(_ uuid: UUID) {
        self.uuid = uuid
    }

    /// Parses the 8-4-4-4-12 hex form; returns nil for anything else.
    public init?(_ string: String) {
        guard let uuid = UUID(text: string) else { return nil }
        self.uuid = uuid
    }

    /// A new random (version 4) identifier.
    public static func random() -> Identifier<Tag> {
        Identifier(UUID.randomV4())
    }

    /// The lowercase wire form.
    public var description: String { uuid.lowercasedText }

    /// Decodes the wire form, throwing ``ContractError/notAUUID(field:value:)`` with the field path.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let uuid = UUID(text: string) else {
            throw ContractError.notAUUID(field: FieldPath.render(decoder.codingPath), value: String(string.prefix(64)))
        }
        self.uuid = uuid
    }

    /// Encodes the lowercase wire form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Tag for ``EventID``.
public enum EventIDTag {}
/// Tag for ``SessionID``.
public enum SessionIDTag {}
/// Tag for ``AgentID``.
public enum AgentIDTag {}
/// Tag for ``ImageID``.
public enum ImageIDTag {}
/// Tag for ``FileID``.
public enum FileIDTag {}
/// Tag for ``KnowledgeEntryID``.
public enum KnowledgeEntryIDTag {}

/// The envelope id: the producer's idempotency key, also used as correlation and causation id.
public typealias EventID = Identifier<EventIDTag>
/// A session, assigned by routing when it creates the session.
public typealias SessionID = Identifier<SessionIDTag>
/// An agent (or admin) account.
public typealias AgentID = Identifier<AgentIDTag>
/// An image stored by Kefu (returned by the gateway's upload endpoint).
public typealias ImageID = Identifier<ImageIDTag>
/// A file (document, text, archive) stored by Kefu (returned by the gateway's file upload endpoint).
public typealias FileID = Identifier<FileIDTag>
/// A knowledge-base entry.
public typealias KnowledgeEntryID = Identifier<KnowledgeEntryIDTag>

/// Tag for ``LeaveMessageID``.
public enum LeaveMessageIDTag {}
/// A message left by a visitor when nobody could serve (留言).
public typealias LeaveMessageID = Identifier<LeaveMessageIDTag>

/// Tag for ``BlockID``.
public enum BlockIDTag {}
/// A visitor block (黑名单 entry) id.
public typealias BlockID = Identifier<BlockIDTag>

/// Tag for ``SummaryCategoryID``.
public enum SummaryCategoryIDTag {}
/// A session-summary category (会话小结分类).
public typealias SummaryCategoryID = Identifier<SummaryCategoryIDTag>
