import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// 猜你想问: a `bot.answer` that did not answer but carries knowledge's choices.
extension RoutingEngine {
    /// The bot was not sure: it offers the choices as a bot message (their questions listed in the text, for
    /// channels that show text only, and in `suggestions`, which the widget shows as buttons). Counts toward
    /// the unanswered transfer rule like ``botMissed(_:settings:into:on:)``.
    func botSuggested(
        _ suggestions: [BotSuggestion], _ session: inout SessionRecord, settings: ActiveSettings,
        into publication: inout Publication, on connection: PostgresConnection
    ) throws {
        let choices = Array(suggestions.prefix(BotSuggestion.maximumCount))
        session.unanswered += 1
        session.pendingQuestionSeq = nil
        try connection.execute(
            "UPDATE \(schema).sessions SET unanswered = $2, pending_question_seq = NULL, pending_question_at = NULL WHERE id = $1",
            [session.id.uuid, session.unanswered])
        try accept(.text(Self.suggestionText(choices)), from: .bot, suggestions: choices, session: &session, into: &publication, on: connection)
        let limit = settings.unansweredLimit(channel: session.channel)
        if limit > 0, session.unanswered >= limit {
            try requestHuman(&session, reason: .botFailures, settings: settings, into: &publication, on: connection)
        }
    }

    /// `您是不是想问：` and the numbered questions.
    static func suggestionText(_ suggestions: [BotSuggestion]) -> String {
        let lines = suggestions.enumerated().map { "\($0.offset + 1). \($0.element.question)" }
        return (["您是不是想问："] + lines + ["请点击或发送您想问的问题。"]).joined(separator: "\n")
    }
}
