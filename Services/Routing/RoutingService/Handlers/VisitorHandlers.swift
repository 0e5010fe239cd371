import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Handlers of the inbound stream (`visitor.*`).
extension RoutingEngine {
    /// `visitor.message`: dedupe on (channel, visitor_id, client_message_id), refuse a blocked visitor
    /// (``refuseIfBlocked(channel:visitorID:clientMessageID:into:on:)``), open a session if needed, mask,
    /// number, publish `message.accepted`, then act on the state (bot question, keywords, end phrase).
    func visitorMessage(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let message = try decode(VisitorMessage.self, event).data
            let key = RoutingBatch.MessageKey(
                sender: "visitor", channel: message.channel, owner: message.visitorID, clientMessageID: message.clientMessageID)
            if let first = try acceptedBefore(key, on: connection) {
                try publication.reply(.success(first))
                return
            }
            if try refuseIfBlocked(
                channel: message.channel, visitorID: message.visitorID, clientMessageID: message.clientMessageID,
                into: &publication, on: connection) { return }
            let settings = try self.settings.current(on: connection)
            try checkEntryGroup(message.group, settings: settings)
            var (session, created) = try sessions.openOrCreate(
                channel: message.channel, visitorID: message.visitorID, attributes: message.attributes, on: connection)
            if created {
                try announceCreated(&session, attributes: message.attributes, into: &publication, on: connection)
            } else if let attributes = message.attributes, !attributes.isEmpty {
                let json = String(decoding: try JSONEncoder().encode(attributes), as: UTF8.self)
                connection.queue(
                    "UPDATE \(schema).sessions SET attributes = attributes || $2::jsonb WHERE id = $1", [session.id.uuid, json])
            }
            if let priority = message.priority, priority != session.visitorPriority {
                prioritize(&session, priority, settings: settings, on: connection)
            }
            if let group = message.group { enter(group, session: &session, on: connection) }
            let content = settings.mask(message.content)
            let seq = try accept(
                content, from: .visitor, clientMessageID: message.clientMessageID, session: &session,
                into: &publication, on: connection)
            recordAccepted(key, session: session.id, seq: seq, on: connection)
            try react(to: content, seq: seq, session: &session, settings: settings, into: &publication, on: connection)
            try publication.reply(.success(.members([
                ("session_id", .string(session.id.description)), ("seq", .int(seq)),
            ])))
        }
    }

    /// A connector gave the visitor a (new) priority: kept on the session; a queued visitor moves to its place
    /// among the queue now (its enqueue time, hence FIFO within the priority, is kept). A visitor put back at
    /// the front after their agent left (queue priority 0) stays there.
    private func prioritize(_ session: inout SessionRecord, _ priority: Int, settings: ActiveSettings, on connection: PostgresConnection) {
        session.visitorPriority = priority
        let requeue = session.state == .queued && session.priority != 0
        if requeue { session.priority = settings.queuePriority(for: session) }
        connection.queue(
            "UPDATE \(schema).sessions SET visitor_priority = $2, priority = $3 WHERE id = $1",
            [session.id.uuid, priority, session.priority])
        if requeue { requestDrain() }
    }

    /// What a visitor's message causes in each state.
    private func react(
        to content: MessageContent, seq: Int, session: inout SessionRecord, settings: ActiveSettings,
        into publication: inout Publication, on connection: PostgresConnection
    ) throws {
        let text = content.text ?? ""
        switch session.state {
        case .bot:
            if settings.isEndPhrase(text) {
                try end(&session, reason: .visitorPhrase, settings: settings, into: &publication, on: connection)
            } else if let group = settings.document.group(forKeyword: text) {
                try requestHuman(&session, reason: .keyword, group: group, settings: settings, into: &publication, on: connection)
            } else if session.awaitingGroup, let group = settings.document.group(
                named: text, among: settings.document.groups(servingChannel: session.channel)) {
                try requestHuman(&session, reason: .visitorRequest, group: group, settings: settings, into: &publication, on: connection)
            } else if settings.isTransferKeyword(text, channel: session.channel) {
                try requestHuman(&session, reason: .keyword, settings: settings, into: &publication, on: connection)
            } else if content.text != nil {
                try askBot(text: text, seq: seq, session: &session, into: &publication, on: connection)
            } else {
                try botMissed(&session, settings: settings, into: &publication, on: connection)
            }
        case .queued:
            if settings.isExitKeyword(text) {
                try end(&session, reason: .queueExit, settings: settings, into: &publication, on: connection)
            } else if settings.isEndPhrase(text) {
                try end(&session, reason: .visitorPhrase, settings: settings, into: &publication, on: connection)
            }
        case .assigned:
            if settings.isEndPhrase(text) {
                try end(&session, reason: .visitorPhrase, settings: settings, into: &publication, on: connection)
            }
        case .ended, .left:
            break
        }
    }

    /// Sends the visitor's question to knowledge; the answer comes back as `bot.answer` on the commands stream.
    func askBot(
        text: String, seq: Int, session: inout SessionRecord, into publication: inout Publication,
        on connection: PostgresConnection
    ) throws {
        let expires = Timestamp(millisecondsSince1970: Timestamp.now().millisecondsSince1970 + Int64(tuning.botAnswerTimeoutSeconds) * 1000)
        try publication.request(
            BotQuestion(sessionID: session.id, questionSeq: seq, channel: session.channel, text: text),
            to: streams.requests(service: .knowledge), replyTo: streams.commands, expiresAt: expires)
        session.pendingQuestionSeq = seq
        connection.queue(
            "UPDATE \(schema).sessions SET pending_question_seq = $2, pending_question_at = now() WHERE id = $1",
            [session.id.uuid, seq])
    }

    /// The bot could not answer: the fallback text, one more miss, and a transfer when the channel's limit is hit.
    func botMissed(
        _ session: inout SessionRecord, settings: ActiveSettings, into publication: inout Publication,
        on connection: PostgresConnection
    ) throws {
        session.unanswered += 1
        session.pendingQuestionSeq = nil
        connection.queue(
            "UPDATE \(schema).sessions SET unanswered = $2, pending_question_seq = NULL, pending_question_at = NULL WHERE id = $1",
            [session.id.uuid, session.unanswered])
        try accept(.text(ActiveSettings.botFallbackText), from: .bot, session: &session, into: &publication, on: connection)
        let limit = settings.unansweredLimit(channel: session.channel)
        if limit > 0, session.unanswered >= limit {
            try requestHuman(&session, reason: .botFailures, settings: settings, into: &publication, on: connection)
        }
    }

    /// A transfer condition held: pick the skill group — `group` (a group's keyword or the menu choice), else
    /// the session's entry group, else the one group serving the channel; several serve it: the bot offers
    /// them as a menu and waits —, then queue the session there when human service is available, else tell
    /// the visitor and end the session with `no_service` (offering leave-a-message).
    func requestHuman(
        _ session: inout SessionRecord, reason: QueueReason, group: String? = nil, settings: ActiveSettings,
        into publication: inout Publication, on connection: PostgresConnection
    ) throws {
        guard session.state == .bot else { return }
        if let group { session.groupID = group }
        if session.groupID == nil {
            let serving = settings.document.groups(servingChannel: session.channel)
            if serving.count == 1 {
                session.groupID = serving[0]
            } else if serving.count > 1 {
                try offerGroupMenu(serving, session: &session, settings: settings, into: &publication, on: connection)
                return
            }
        }
        if let refusal = try noServiceReason(
            channel: session.channel, group: session.groupID, settings: settings, on: connection) {
            try systemMessage(settings.document.noServicePrompt(for: refusal), session: &session, into: &publication, on: connection)
            try systemMessage(ActiveSettings.leaveMessageHint, session: &session, into: &publication, on: connection)
            try end(&session, reason: .noService, settings: settings, into: &publication, on: connection)
        } else {
            try enqueue(&session, reason: reason, priority: settings.queuePriority(for: session), into: &publication, on: connection)
        }
    }

    /// Why human service is not available now (``RoutingSettings/noServiceReason(channel:isOpen:anyonePresent:queueLength:)``:
    /// switch, channel, hours, someone present at a workbench — 在线 or 停止接入 —, room in the queue), or nil.
    /// With a skill group, its own service hours and queue length apply, the queue counted is the group's and
    /// "someone present" means one of its members.
    func noServiceReason(
        channel: String, group: String? = nil, settings: ActiveSettings, on connection: PostgresConnection
    ) throws -> NoServiceReason? {
        let document = settings.document
        let rules = group.flatMap { document.groups[$0] }
        let isOpen = (rules?.serviceHours ?? document.serviceHours).isOpen(at: Date())
        guard document.humanServiceEnabled, document.channel(channel).humanEnabled, isOpen else {
            return document.noServiceReason(channel: channel, isOpen: isOpen, anyonePresent: false, queueLength: 0)
        }
        // Counting stops at the limit, so a long queue costs no more than the limit.
        let maxLength = rules?.queueMaxLength ?? document.queue.maxLength
        let rows = try connection.query(
            """
            SELECT (SELECT count(*) FROM (SELECT 1 FROM \(schema).sessions
                                         WHERE state = 'queued' AND coalesce(group_id, '') = $2 LIMIT $1) queued),
                   EXISTS (SELECT 1 FROM \(schema).agents
                           WHERE status IN ('online', 'stop_accepting') AND enabled AND present_until > now()
                             AND ($2 = '' OR $2 = ANY(groups)))
            """, [maxLength, group ?? ""])
        let length = try rows.first?.decode(Int.self, at: 0) ?? 0
        let present = try rows.first?.decode(Bool.self, at: 1) ?? false
        var reason = document.noServiceReason(channel: channel, isOpen: isOpen, anyonePresent: present, queueLength: length)
        if reason == .queueFull, length < maxLength { reason = nil }
        if reason == nil, length >= maxLength { reason = .queueFull }
        return reason
    }

    /// Several skill groups serve the channel and the visitor came with none: the bot lists them (in the text for
    /// channels that show text only, and in `group_choices`, which the widget shows as buttons) and waits for
    /// the visitor's choice (a group's name or id; a group's keyword works too).
    func offerGroupMenu(
        _ groups: [String], session: inout SessionRecord, settings: ActiveSettings, into publication: inout Publication,
        on connection: PostgresConnection
    ) throws {
        let choices = groups.compactMap { id in settings.document.groups[id].map { GroupChoice(group: id, name: $0.name) } }
        let names = choices.map(\.name)
        try accept(.text(ActiveSettings.groupMenuPrompt + names.joined(separator: "、")), from: .bot,
                   groupChoices: choices.isEmpty ? nil : Array(choices.prefix(GroupChoice.maximumCount)), session: &session,
                   into: &publication, on: connection)
        session.awaitingGroup = true
        connection.queue("UPDATE \(schema).sessions SET awaiting_group = true WHERE id = $1", [session.id.uuid])
    }

    /// Refuses an entry group that is empty or not configured (`unknown_group`).
    func checkEntryGroup(_ group: String?, settings: ActiveSettings) throws {
        guard let group else { return }
        guard !group.isEmpty else { throw Refusal(.unknownGroup, "the group is empty; leave it out for the default queue") }
        guard settings.document.groups[group] != nil else {
            throw Refusal(.unknownGroup, "there is no skill group \"\(group)\"")
        }
    }

    /// Keeps the entry's group on a session still with the bot (a queued or served visitor stays where they are).
    func enter(_ group: String, session: inout SessionRecord, on connection: PostgresConnection) {
        guard session.state == .bot, session.groupID != group else { return }
        session.groupID = group
        connection.queue("UPDATE \(schema).sessions SET group_id = $2 WHERE id = $1", [session.id.uuid, group])
    }

    /// `visitor.request_human`: the transfer button.
    func visitorRequestHuman(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let action = try decode(VisitorRequestHuman.self, event).data
            if try refuseIfBlocked(
                channel: action.channel, visitorID: action.visitorID, clientMessageID: nil, into: &publication,
                on: connection) { return }
            let settings = try self.settings.current(on: connection)
            guard settings.document.channel(action.channel).transferButton else {
                throw Refusal(.forbidden, "the transfer button is off for channel \(action.channel)")
            }
            try checkEntryGroup(action.group, settings: settings)
            var (session, created) = try sessions.openOrCreate(
                channel: action.channel, visitorID: action.visitorID, attributes: nil, on: connection)
            if created { try announceCreated(&session, attributes: nil, into: &publication, on: connection) }
            if let priority = action.priority, priority != session.visitorPriority {
                prioritize(&session, priority, settings: settings, on: connection)
            }
            try requestHuman(&session, reason: .visitorRequest, group: action.group, settings: settings, into: &publication, on: connection)
            try publication.reply(.success(.members([
                ("session_id", .string(session.id.description)), ("state", .string(session.state.rawValue)),
            ])))
        }
    }

    /// `visitor.end`: the end button.
    func visitorEnd(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let action = try decode(VisitorEnd.self, event).data
            let settings = try self.settings.current(on: connection)
            guard settings.document.channel(action.channel).endButton else {
                throw Refusal(.forbidden, "the end button is off for channel \(action.channel)")
            }
            guard var session = try sessions.lockOpen(channel: action.channel, visitorID: action.visitorID, on: connection) else {
                throw Refusal(.sessionNotActive, "the visitor has no open session")
            }
            try end(&session, reason: .visitorButton, settings: settings, into: &publication, on: connection)
            try publication.reply(.success(.members([("session_id", .string(session.id.description))])))
        }
    }

    /// `visitor.exit_queue`.
    func visitorExitQueue(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let action = try decode(VisitorExitQueue.self, event).data
            let settings = try self.settings.current(on: connection)
            guard var session = try sessions.lockOpen(channel: action.channel, visitorID: action.visitorID, on: connection),
                  session.state == .queued
            else { throw Refusal(.sessionNotActive, "the visitor is not in the queue") }
            try end(&session, reason: .queueExit, settings: settings, into: &publication, on: connection)
            try publication.reply(.success(.members([("session_id", .string(session.id.description))])))
        }
    }

    /// `visitor.rating`: once per human session that invited one, 1–5 stars, comment masked.
    func visitorRating(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let rating = try decode(VisitorRating.self, event).data
            guard var session = try sessions.lock(rating.sessionID, on: connection),
                  session.channel == rating.channel, session.visitorID == rating.visitorID
            else { throw Refusal(.unknownSession, "no session \(rating.sessionID) for this visitor") }
            guard session.ratingInvited else {
                throw Refusal(.ratingNotInvited, "session \(rating.sessionID) did not invite a rating")
            }
            guard !session.rated else { throw Refusal(.ratingRepeated, "session \(rating.sessionID) is already rated") }
            let settings = try self.settings.current(on: connection)
            let comment = rating.comment.flatMap { $0.isEmpty ? nil : settings.mask($0) }
            let agentID = try lastAgent(of: session, on: connection)
            session.rated = true
            let seq = session.nextSeq()
            connection.queue(
                "INSERT INTO \(schema).ratings (session_id, stars, comment, agent_id) VALUES ($1, $2, $3, $4)",
                [session.id.uuid, rating.stars, comment, agentID?.uuid])
            connection.queue(
                "UPDATE \(schema).sessions SET rated = true, last_seq = $2 WHERE id = $1", [session.id.uuid, session.lastSeq])
            try publication.event(RatingRecorded(
                sessionID: session.id, seq: seq, channel: session.channel, visitorID: session.visitorID,
                stars: rating.stars, comment: comment, agentID: agentID))
            try publication.reply(.success(.members([("session_id", .string(session.id.description))])))
        }
    }

    /// `visitor.leave_message`: stored unclaimed (description masked), `leave_message.updated` published.
    func visitorLeaveMessage(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let message = try decode(VisitorLeaveMessage.self, event).data
            if try refuseIfBlocked(
                channel: message.channel, visitorID: message.visitorID, clientMessageID: nil, into: &publication, on: connection
            ) { return }
            let settings = try self.settings.current(on: connection)
            var sessionID: SessionID?
            if let hint = message.sessionHint, let session = try sessions.read(hint, on: connection),
               session.channel == message.channel, session.visitorID == message.visitorID {
                sessionID = session.id
            } else {
                sessionID = try connection.query(
                    "SELECT id FROM \(schema).sessions WHERE channel = $1 AND visitor_id = $2 ORDER BY created_at DESC LIMIT 1",
                    [message.channel, message.visitorID]
                ).first.map { SessionID(try $0.decode(UUID.self, at: 0)) }
            }
            let id = LeaveMessageID.random()
            let images = String(decoding: try JSONEncoder().encode(message.images ?? []), as: UTF8.self)
            connection.queue(
                """
                INSERT INTO \(schema).leave_messages (id, channel, visitor_id, session_id, name, description, phone, email, images)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
                """,
                [id.uuid, message.channel, message.visitorID, sessionID?.uuid, message.name.map(settings.mask),
                 settings.mask(message.problemDescription), message.phone, message.email, images])
            try publication.event(LeaveMessageUpdated(
                leaveMessageID: id, channel: message.channel, visitorID: message.visitorID, sessionID: sessionID,
                state: .unclaimed))
            try publication.reply(.success(.members([("leave_message_id", .string(id.description))])))
        }
    }

    /// The result a resent message gets (the seq of the first copy), or nil for a message not seen before.
    /// In a prepared batch the batch already knows; outside one the table is asked.
    func acceptedBefore(_ key: RoutingBatch.MessageKey, on connection: PostgresConnection) throws -> JSONValue? {
        let first: RoutingBatch.AcceptedMessage?
        if let batch = RoutingBatch.current(on: connection) {
            first = batch.acceptedBefore(key)
        } else {
            first = try connection.query(
                """
                SELECT session_id, seq FROM \(schema).message_ids
                WHERE sender = $1 AND channel = $2 AND owner_id = $3 AND client_message_id = $4
                """, [key.sender, key.channel, key.owner, key.clientMessageID]
            ).first.map { RoutingBatch.AcceptedMessage(
                sessionID: try $0.decode(UUID?.self, at: 0).map(SessionID.init), seq: try $0.decode(Int?.self, at: 1)) }
        }
        guard let first else { return nil }
        return .members([
            ("session_id", first.sessionID.map { .string($0.description) }),
            ("seq", first.seq.map(JSONValue.int)),
            ("duplicate", .bool(true)),
        ])
    }

    /// Records a message id as accepted into `session` at `seq`. A concurrent first copy (another instance)
    /// makes the insert fail, the batch is retried, and the retry finds the first copy. In a prepared batch the
    /// ids are written together before COMMIT (``PendingMessageIDs``).
    func recordAccepted(_ key: RoutingBatch.MessageKey, session: SessionID, seq: Int, on connection: PostgresConnection) {
        if let batch = RoutingBatch.current(on: connection) {
            PendingMessageIDs.on(connection, schema: schema).append(key, sessionID: session, seq: seq)
            batch.noteAccepted(key, sessionID: session, seq: seq)
            return
        }
        connection.queue(
            """
            INSERT INTO \(schema).message_ids (sender, channel, owner_id, client_message_id, session_id, seq)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [key.sender, key.channel, key.owner, key.clientMessageID, session.uuid, seq])
    }
}
