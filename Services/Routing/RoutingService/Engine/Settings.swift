import Foundation
import KefuModel
import Postgres
import Synchronization

/// The settings in force, with what is expensive to derive from them (the masker) built once per version.
struct ActiveSettings: Sendable {
    /// The version (0: the defaults, nothing stored yet).
    let version: Int
    /// The document.
    let document: RoutingSettings
    /// Masks the sensitive-word list.
    let masker: SensitiveWordMasker

    init(version: Int, document: RoutingSettings) {
        self.version = version
        self.document = document
        self.masker = SensitiveWordMasker(words: document.sensitiveWords)
    }

    /// Masks a text (every configured word → `*` per character).
    func mask(_ text: String) -> String { masker.mask(text) }

    /// Masks the text of a message; images pass unchanged.
    func mask(_ content: MessageContent) -> MessageContent {
        if case .text(let text) = content { return .text(mask(text)) }
        return content
    }

    /// Whether `text` contains one of `phrases` (case-insensitive, trimmed).
    static func matches(_ text: String, any phrases: [String]) -> Bool {
        let folded = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return phrases.contains { phrase in
            let key = phrase.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            return !key.isEmpty && folded.contains(key)
        }
    }

    func isTransferKeyword(_ text: String, channel: String) -> Bool {
        Self.matches(text, any: document.channel(channel).transferKeywords)
    }

    func isExitKeyword(_ text: String) -> Bool { Self.matches(text, any: document.exitKeywords) }

    func isEndPhrase(_ text: String) -> Bool { Self.matches(text, any: document.endPhrases) }

    /// Whether the channel offers human service now (switch, channel, hours); staffing and queue room are
    /// checked against the database.
    func humanOffered(channel: String, at date: Date) -> Bool {
        document.humanServiceEnabled && document.channel(channel).humanEnabled && document.isOpen(at: date)
    }

    /// The queue prompt filled in.
    func queuePrompt(position: Int, ahead: Int, etaSeconds: Int?) -> String {
        document.renderQueuePrompt(position: position, ahead: ahead, etaSeconds: etaSeconds)
    }
}

/// Reads the settings in force, caching the derived form per version (one cheap query per use).
final class SettingsCache: Sendable {
    let schema: String
    private let cached = Mutex<ActiveSettings?>(nil)

    init(schema: String) {
        self.schema = schema
    }

    /// The settings in force as seen by `connection`'s transaction.
    func current(on connection: PostgresConnection) throws -> ActiveSettings {
        let rows = try connection.query("SELECT version FROM \(schema).settings ORDER BY version DESC LIMIT 1")
        let version = try rows.first.map { try $0.decode(Int.self, at: 0) } ?? 0
        if let hit = cached.withLock({ $0 }), hit.version == version { return hit }
        let active: ActiveSettings
        if version == 0 {
            active = ActiveSettings(version: 0, document: .defaults)
        } else {
            let document = try connection.query("SELECT document::text FROM \(schema).settings WHERE version = $1", [version])
            let text = try document.first.map { try $0.decode(String.self, at: 0) } ?? "{}"
            let decoded = try JSONDecoder().decode(RoutingSettings.self, from: Data(text.utf8))
            active = ActiveSettings(version: version, document: decoded)
        }
        cached.withLock { current in
            if (current?.version ?? -1) < active.version { current = active }
        }
        return active
    }
}
