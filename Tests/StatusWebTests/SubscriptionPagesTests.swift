import Foundation
import HTTPServer
import SQLite
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// Mail subscriptions as a person meets them, without JavaScript: the sign-up form, the page
/// a subscriber's link opens, leaving by the page's button and by RFC 8058's one-click POST.
/// A real server on port 0 with a real store in a temporary folder, a manual clock, forms
/// posted over a raw socket; what changed is read back from the store and its tables.
@Suite struct SubscriptionPagesTests {
    typealias Site = PublicPagesTests.PageServer

    static let actor = PublicPagesTests.actor
    static let form = ["Content-Type": "application/x-www-form-urlencoded"]

    /// A site that offers mail subscriptions (`mail`), or one without an SMTP relay.
    static func makeSite(mail: Bool = true) throws -> Site {
        var options = PageOptions.standard
        options.mailSubscriptions = mail
        return try Site.make(options: options)
    }

    /// A group "Autogates" with two members, and "Aplikasi M-Paspor" on its own.
    static func makeComponents(_ site: Site) throws -> (t2: Component, t3: Component, passport: Component) {
        try site.write { store, now in
            let t2 = try store.createComponent(ComponentDraft(name: "Autogate T2"), by: actor, now: now)
            let t3 = try store.createComponent(ComponentDraft(name: "Autogate T3"), by: actor, now: now)
            _ = try store.createComponentGroup(ComponentGroupDraft(name: "Autogates", componentIDs: [t2.id, t3.id]),
                                               by: actor, now: now)
            let passport = try store.createComponent(ComponentDraft(name: "Aplikasi M-Paspor"), by: actor, now: now)
            return (t2, t3, passport)
        }
    }

    /// A confirmed subscriber, as staff would add one, and its token.
    static func makeSubscriber(_ site: Site, email: String = "sari@example.org", language: String = "en",
                               componentIDs: [String]? = nil, confirmed: Bool = true) throws -> (MailSubscriber, String) {
        let subscriber = try site.store.createMailSubscriber(email: email, language: language, componentIDs: componentIDs,
                                                             skipConfirmation: confirmed, by: actor, now: site.clock.now())
        return (subscriber, try site.store.subscriptionToken(for: subscriber.id))
    }

    /// How many rows of `mail_subscribers` have `id`.
    static func rows(_ site: Site, id: String) throws -> Int {
        try site.store.withDatabase { database in
            try database.queryOne("SELECT count(*) AS n FROM mail_subscribers WHERE id = ?", [id])?.int("n") ?? -1
        }
    }

    /// The response less its `Date` field, to compare two answers byte for byte.
    static func withoutDate(_ response: TestResponse) -> String {
        let fields = response.headers.filter { $0.name.lowercased() != "date" }.map { "\($0.name): \($0.value)" }
        return "\(response.status) \(response.reason)\n" + fields.joined(separator: "\n") + "\n\n" + response.text
    }

    // MARK: The form

    @Test func theFormIsOnTheHomePageAndOnItsOwnPageOnlyWithMail() throws {
        let site = try Self.makeSite()
        defer { site.close() }
        let (t2, t3, passport) = try Self.makeComponents(site)

        let home = try site.get("/?lang=en")
        #expect(home.status == 200)
        #expect(home.text.contains(#"<section aria-labelledby="h-subscribe"><h2 id="h-subscribe">Get updates by email</h2>"#
            + "\n" + #"<form class="teaser" method="post" action="/subscribe?lang=en"><input type="hidden" name="language" value="en">"#
            + #"<input type="hidden" name="components" value="all">"#))
        #expect(home.text.contains(#"<label for="subscribe-email">Email address</label>"#))
        #expect(home.text.contains(#"<a href="/subscribe?lang=en">Choose components and language</a>"#))
        #expect(PublicPagesTests.directives(try #require(home.header("Content-Security-Policy")))["form-action"] == "'self'")

        let page = try site.get("/subscribe", ["Accept-Language": "en-GB"])
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.header("Cache-Control") == "no-store")
        #expect(page.header("Content-Language") == "en")
        #expect(PublicPagesTests.directives(try #require(page.header("Content-Security-Policy")))["form-action"] == "'self'")
        #expect(page.text.contains("<title>Get updates by email · "))
        #expect(page.text.contains(#"<form class="subscribe" method="post" action="/subscribe?lang=en">"#))
        #expect(page.text.contains(#"<label for="email">Email address</label>"# + "\n"
            + #"<input type="email" id="email" name="email" value="" autocomplete="email" required maxlength="254"></div>"#))
        // The request's language is preselected; each is named in itself.
        #expect(page.text.contains(#"<input type="radio" name="language" id="language-en" value="en" checked required> <span lang="en">English</span>"#))
        #expect(page.text.contains(#"<input type="radio" name="language" id="language-id" value="id" required> <span lang="id">Bahasa Indonesia</span>"#))
        #expect(page.text.contains(#"<input type="radio" name="components" id="components-all" value="all" checked> All components, including any added later"#))
        // Components by group, as the page shows them.
        let group = #"""
            <fieldset class="group"><legend>Autogates</legend>
            <label class="choice"><input type="checkbox" name="component_ids[]" id="c-\#(t2.id)" value="\#(t2.id)"> Autogate T2</label>
            <label class="choice"><input type="checkbox" name="component_ids[]" id="c-\#(t3.id)" value="\#(t3.id)"> Autogate T3</label>
            </fieldset>
            """#
        #expect(page.text.contains(group))
        #expect(page.text.contains(#"<label class="choice"><input type="checkbox" name="component_ids[]" id="c-\#(passport.id)" value="\#(passport.id)"> Aplikasi M-Paspor</label>"#))
        #expect(page.text.contains("We store your address, language and choice of components, nothing else"))

        let indonesian = try site.get("/subscribe?lang=id", ["Accept-Language": "en"])
        #expect(indonesian.text.contains("<h1>Kabar gangguan lewat email</h1>"))
        #expect(indonesian.text.contains(#"id="language-id" value="id" checked required>"#))

        let without = try Self.makeSite(mail: false)
        defer { without.close() }
        let plain = try without.get("/?lang=en")
        #expect(plain.status == 200)
        #expect(!plain.text.contains("h-subscribe"))
        #expect(!plain.text.contains("<form"))
        #expect(PublicPagesTests.directives(try #require(plain.header("Content-Security-Policy")))["form-action"] == "'none'")
    }

    @Test func withoutMailEveryPathIsTheOrdinaryNotFound() throws {
        let site = try Self.makeSite(mail: false)
        defer { site.close() }
        let token = try site.store.subscriptionToken(for: "abcdefghijkl")
        let notFound = try site.get("/no-such-page")
        #expect(notFound.status == 404)
        for path in ["/subscribe", "/subscribe/sent", "/subscriptions/\(token)", "/subscriptions/\(token)/unsubscribe"] {
            let page = try site.get(path)
            #expect(page.status == 404, "\(path)")
            #expect(page.text == notFound.text, "\(path)")
        }
        for path in ["/subscribe", "/subscriptions/\(token)", "/subscriptions/\(token)/unsubscribe"] {
            let answer = try site.send("POST", path, body: "email=sari%40example.org&language=en&components=all&action=confirm")
            #expect(answer.status == 404, "\(path)")
        }
        #expect(try site.store.mailSubscriberCount() == 0)
    }

    // MARK: Signing up

    @Test func aSignUpIsAnsweredAlikeForANewAnUnconfirmedAndAConfirmedAddress() throws {
        let site = try Self.makeSite()
        defer { site.close() }
        let (t2, _, passport) = try Self.makeComponents(site)
        let (confirmed, _) = try Self.makeSubscriber(site, email: "budi@example.org")
        let body = "email=sari%40example.org&language=id&components=chosen"
            + "&component_ids%5B%5D=\(passport.id)&component_ids%5B%5D=\(t2.id)"

        let created = try site.send("POST", "/subscribe?lang=en", body: body)
        #expect(created.status == 303)
        #expect(created.reason == "See Other")
        #expect(created.header("Location") == "/subscribe/sent?lang=en")
        #expect(created.header("Cache-Control") == "no-store")
        #expect(created.text.contains(#"<a href="/subscribe/sent?lang=en">/subscribe/sent?lang=en</a>"#))
        let subscriber = try #require(try site.store.mailSubscribers(query: "sari@").first)
        #expect(subscriber.state == .unconfirmed)
        #expect(subscriber.language == "id")
        // In page order: the group's member, then the component on its own.
        #expect(subscriber.componentIDs == [t2.id, passport.id])

        // The same address again at once (nothing queued), later (a fresh confirmation), and
        // an address that is confirmed already (a notice): the same answer each time.
        let again = try site.send("POST", "/subscribe?lang=en", body: body)
        site.clock.advance(by: 11 * 60)
        let renewed = try site.send("POST", "/subscribe?lang=en", body: body)
        let known = try site.send("POST", "/subscribe?lang=en", body: "email=BUDI%40example.org&language=en&components=all")
        for answer in [again, renewed, known] {
            #expect(Self.withoutDate(answer) == Self.withoutDate(created))
        }
        // ... though the store did different things behind it.
        #expect(try site.store.mailSubscriber(id: confirmed.id).state == .active)
        #expect(try site.store.mailSubscribers().count == 2)
        let queued = try site.store.withDatabase { database in
            try database.query("SELECT subscriber_id, kind FROM mail_deliveries ORDER BY id").map {
                "\(try $0.string("subscriber_id")) \(try $0.string("kind"))"
            }
        }
        #expect(queued == ["\(subscriber.id) confirmation", "\(subscriber.id) confirmation", "\(confirmed.id) notice"])

        let sent = try site.get("/subscribe/sent?lang=en")
        #expect(sent.status == 200)
        #expect(sent.header("Cache-Control") == "no-store")
        #expect(sent.text.contains("<h1>Check your mailbox</h1>"))
        #expect(sent.text.contains("We sent a link to confirm your subscription. It expires in 48 hours."))
    }

    @Test func theSmallFormOnTheHomePageSignsUpForEverything() throws {
        let site = try Self.makeSite()
        defer { site.close() }
        _ = try Self.makeComponents(site)
        let answer = try site.send("POST", "/subscribe?lang=id", body: "language=id&components=all&email=sari%40example.org")
        #expect(answer.status == 303)
        #expect(answer.header("Location") == "/subscribe/sent?lang=id")
        let subscriber = try #require(try site.store.mailSubscribers().first)
        #expect(subscriber.email == "sari@example.org")
        #expect(subscriber.componentIDs == nil)
        #expect(subscriber.state == .unconfirmed)
    }

    @Test func badInputComesBackWithItsProblemNamedAndChangesNothing() throws {
        let site = try Self.makeSite()
        defer { site.close() }
        let (t2, _, _) = try Self.makeComponents(site)

        // A line break would let an address write mail headers.
        let injected = try site.send("POST", "/subscribe?lang=en",
                                     body: "email=sari%40example.org%0D%0ABcc%3A+all%40example.org&language=id&components=all")
        #expect(injected.status == 422)
        #expect(injected.header("Cache-Control") == "no-store")
        #expect(injected.header("Content-Type") == "text/html; charset=utf-8")
        #expect(injected.text.contains(#"<div class="problems" role="alert" aria-labelledby="h-problems"><h2 id="h-problems">Please correct the following:</h2>"#
            + "\n" + ##"<ul><li><a href="#email">Enter an address such as name@example.org, without spaces or line breaks.</a></li></ul></div>"##))
        #expect(injected.text.contains(#"<p class="problem" id="email-problem"><span class="icon" aria-hidden="true">!</span>"#
            + "Enter an address such as name@example.org, without spaces or line breaks.</p>\n"
            + #"<input type="email" id="email" name="email" value="sari@example.org"# + "\r\n"
            + #"Bcc: all@example.org" autocomplete="email" required maxlength="254" aria-invalid="true" aria-describedby="email-problem"></div>"#))
        // What was chosen is kept.
        #expect(injected.text.contains(#"id="language-id" value="id" checked required>"#))
        #expect(injected.text.contains(#"id="components-all" value="all" checked>"#))

        let unknown = try site.send("POST", "/subscribe?lang=en", body: "email=sari%40example.org&language=en"
            + "&components=chosen&component_ids%5B%5D=\(t2.id)&component_ids%5B%5D=zzzzzzzzzzzz")
        #expect(unknown.status == 422)
        #expect(unknown.text.contains(#"<fieldset aria-describedby="components-problem"><legend>Components</legend>"# + "\n"
            + #"<p class="problem" id="components-problem"><span class="icon" aria-hidden="true">!</span>"#
            + "A component you ticked no longer exists; choose again.</p>"))
        #expect(unknown.text.contains(#"value="sari@example.org" autocomplete="email" required maxlength="254"></div>"#))
        #expect(unknown.text.contains(#"id="components-chosen" value="chosen" checked>"#))
        #expect(unknown.text.contains(#"id="c-\#(t2.id)" value="\#(t2.id)" checked> Autogate T2"#))

        let cases: [(body: String, problem: String)] = [
            ("email=&language=en&components=all", "Enter your email address."),
            ("email=sari%40example.org&language=fr&components=all", "Choose Bahasa Indonesia or English."),
            ("email=sari%40example.org&language=en&components=chosen", "Tick at least one component, or choose all components."),
            ("email=sari%40localhost&language=en&components=all", "Enter an address such as name@example.org"),
        ]
        for (body, problem) in cases {
            let answer = try site.send("POST", "/subscribe?lang=en", body: body)
            #expect(answer.status == 422, "\(body)")
            #expect(answer.text.contains(#"<span class="icon" aria-hidden="true">!</span>\#(problem)"#), "\(body)")
        }
        // A body that is not a form names the address first.
        let json = try site.send("POST", "/subscribe?lang=en", ["Content-Type": "application/json"],
                                 body: #"{"email": "sari@example.org"}"#)
        #expect(json.status == 422)
        #expect(json.text.contains(#"<p class="problem" id="email-problem"><span class="icon" aria-hidden="true">!</span>Enter your email address.</p>"#))

        let indonesian = try site.send("POST", "/subscribe?lang=id", body: "email=sari&language=id&components=all")
        #expect(indonesian.status == 422)
        #expect(indonesian.text.contains("Masukkan alamat seperti nama@contoh.id, tanpa spasi atau baris baru."))
        #expect(try site.store.mailSubscriberCount() == 0)
        #expect(try site.store.withDatabase { try $0.queryOne("SELECT count(*) AS n FROM mail_deliveries")?.int("n") } == 0)
    }

    @Test func elevenSignUpsInFourHoursAreOneTooMany() throws {
        let site = try Self.makeSite()
        defer { site.close() }
        // Valid and invalid sign-ups count alike.
        for number in 1...10 {
            let body = number % 2 == 0 ? "email=reader\(number)%40example.org&language=en&components=all" : "email=nobody"
            let answer = try site.send("POST", "/subscribe?lang=en", body: body)
            #expect(answer.status == (number % 2 == 0 ? 303 : 422), "sign-up \(number)")
        }
        site.clock.advance(by: 60 * 60)
        let refused = try site.send("POST", "/subscribe?lang=en", body: "email=late%40example.org&language=en&components=all")
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") == "10800")
        #expect(refused.header("Cache-Control") == "no-store")
        #expect(refused.text.contains("<h1>Too many sign-ups</h1>"))
        // 12:00 WIB, plus four hours.
        #expect(refused.text.contains(#"Too many sign-ups came from your network. Try again after <time datetime="2031-03-10T16:00:00.000+07:00">16:00 WIB</time>."#))
        #expect(try site.store.mailSubscriberCount() == 5)

        // A refused sign-up is not counted: four hours after the first ones, the next is taken.
        site.clock.advance(by: 3 * 60 * 60 - 1)
        #expect(try site.send("POST", "/subscribe?lang=en", body: "email=late%40example.org").header("Retry-After") == "1")
        site.clock.advance(by: 1)
        let later = try site.send("POST", "/subscribe?lang=en", body: "email=late%40example.org&language=en&components=all")
        #expect(later.status == 303)
        #expect(try site.store.mailSubscriberCount() == 6)
    }

    /// Behind a proxy every sign-up comes from the proxy's address: from a trusted one the
    /// client is the address it appended to X-Forwarded-For; from any other peer the header
    /// is the client's own words and changes nothing.
    @Test func behindATrustedProxyEachClientHasItsOwnLimit() throws {
        var options = PageOptions.standard
        options.mailSubscriptions = true
        let body = "email=nobody"
        let trusting = try Site.make(options: options, trustedProxies: ["127.0.0.1"])
        defer { trusting.close() }
        for number in 1...10 {
            // The client may write any left-hand entries; only the proxy's last one counts.
            let forwarded = ["X-Forwarded-For": "10.9.9.9, 198.51.100.\(number)"]
            #expect(try trusting.send("POST", "/subscribe?lang=en", Self.form.merging(forwarded) { $1 }, body: body).status == 422)
        }
        let same = ["X-Forwarded-For": "198.51.100.200"]
        for _ in 1...10 {
            #expect(try trusting.send("POST", "/subscribe?lang=en", Self.form.merging(same) { $1 }, body: body).status == 422)
        }
        #expect(try trusting.send("POST", "/subscribe?lang=en", Self.form.merging(same) { $1 }, body: body).status == 429)
        // Not an address: the peer's own address is used.
        let garbage = ["X-Forwarded-For": "198.51.100.1, not-an-address"]
        #expect(try trusting.send("POST", "/subscribe?lang=en", Self.form.merging(garbage) { $1 }, body: body).status == 422)

        let untrusting = try Self.makeSite()
        defer { untrusting.close() }
        for number in 1...11 {
            let forwarded = ["X-Forwarded-For": "198.51.100.\(number)"]
            let status = try untrusting.send("POST", "/subscribe?lang=en", Self.form.merging(forwarded) { $1 }, body: body).status
            #expect(status == (number <= 10 ? 422 : 429), "sign-up \(number)")
        }
    }

    @Test func anIPv6ClientIsCountedByItsSlash64() {
        #expect(SignUpLimiter.network(of: "127.0.0.1") == "127.0.0.1")
        #expect(SignUpLimiter.network(of: "::ffff:192.0.2.7") == "192.0.2.7")
        #expect(SignUpLimiter.network(of: "2001:db8:1:2:aaaa::1") == "20010db800010002::/64")
        #expect(SignUpLimiter.network(of: "2001:db8:1:2:bbbb:cccc:dddd:eeee") == "20010db800010002::/64")
        #expect(SignUpLimiter.network(of: "") == "")

        let clock = ManualClock(PublicPagesTests.start)
        let limiter = SignUpLimiter(limit: 2, window: 60, clock: clock)
        #expect(limiter.admit("2001:db8::1") == nil)
        #expect(limiter.admit("2001:db8::2") == nil)
        #expect(limiter.admit("2001:db8::3") == 60)
        #expect(limiter.admit("2001:db8:0:1::1") == nil)
        clock.advance(by: 60)
        #expect(limiter.admit("2001:db8::3") == nil)
        #expect(SignUpLimiter(limit: 0, clock: clock).admit("2001:db8::3") == nil)
    }

    // MARK: A subscriber's link

    @Test func followingAConfirmationLinkChangesNothingUntilTheButtonIsPressed() throws {
        let site = try Self.makeSite()
        defer { site.close() }
        let (_, _, passport) = try Self.makeComponents(site)
        let (subscriber, token) = try Self.makeSubscriber(site, componentIDs: [passport.id], confirmed: false)

        // The subscriber's language, whatever the browser asks for.
        let page = try site.get("/subscriptions/\(token)", ["Accept-Language": "id"])
        #expect(page.status == 200)
        #expect(page.header("Content-Language") == "en")
        #expect(page.header("Referrer-Policy") == "no-referrer")
        #expect(page.header("Cache-Control") == "no-store")
        #expect(page.header("X-Robots-Tag") == "noindex")
        #expect(page.text.contains("<p>Confirm that you want these mails:</p>\n"
            + #"<dl class="facts"><dt>Address</dt><dd>sari@example.org</dd>"# + "\n"
            + "<dt>Language of the mails</dt><dd>English</dd>\n"
            + "<dt>Components</dt><dd>Aplikasi M-Paspor</dd></dl>"))
        #expect(page.text.contains(#"<p>This link works until <time datetime="2031-03-12T12:00:00.000+07:00">Mar 12, 2031, 12:00 WIB</time>.</p>"#))
        #expect(page.text.contains(#"<form class="subscribe" method="post" action="/subscriptions/\#(token)"><input type="hidden" name="action" value="confirm">"#
            + "\n<p><button type=\"submit\">Confirm subscription</button></p></form>"))
        _ = try site.get("/subscriptions/\(token)")
        _ = try site.get("/subscriptions/\(token)/unsubscribe")
        #expect(try site.store.mailSubscriber(id: subscriber.id).state == .unconfirmed)

        let confirmed = try site.send("POST", "/subscriptions/\(token)", body: "action=confirm")
        #expect(confirmed.status == 303)
        #expect(confirmed.header("Location") == "/subscriptions/\(token)?done=confirmed")
        #expect(confirmed.header("Referrer-Policy") == "no-referrer")
        #expect(try site.store.mailSubscriber(id: subscriber.id).state == .active)

        let after = try site.get("/subscriptions/\(token)?done=confirmed")
        #expect(after.text.contains(#"<p class="done" role="status"><span class="icon" aria-hidden="true">✓</span>"#
            + "Subscription confirmed. You will get a mail for each update.</p>"))
        #expect(after.text.contains("<p>Address: <strong>sari@example.org</strong></p>"))
        #expect(after.text.contains(#"id="c-\#(passport.id)" value="\#(passport.id)" checked> Aplikasi M-Paspor"#))
        #expect(after.text.contains(#"<form class="subscribe" method="post" action="/subscriptions/\#(token)/unsubscribe?lang=en">"#
            + #"<p><button type="submit" class="leave">Leave and delete my address</button></p></form>"#))

        // ?lang= wins over the subscriber's language, and the forms keep it.
        let chosen = try site.get("/subscriptions/\(token)?lang=id")
        #expect(chosen.header("Content-Language") == "id")
        #expect(chosen.text.contains(#"<form class="subscribe" method="post" action="/subscriptions/\#(token)?lang=id">"#))
        let confirmedAgain = try site.send("POST", "/subscriptions/\(token)?lang=id", body: "action=confirm")
        #expect(confirmedAgain.header("Location") == "/subscriptions/\(token)?done=confirmed&lang=id")
    }

    @Test func theManageFormSavesLanguageAndComponents() throws {
        let site = try Self.makeSite()
        defer { site.close() }
        let (t2, t3, _) = try Self.makeComponents(site)
        let (subscriber, token) = try Self.makeSubscriber(site)

        let saved = try site.send("POST", "/subscriptions/\(token)", body: "action=save&language=id&components=chosen"
            + "&component_ids%5B%5D=\(t3.id)&component_ids%5B%5D=\(t2.id)")
        #expect(saved.status == 303)
        #expect(saved.header("Location") == "/subscriptions/\(token)?done=saved")
        let changed = try site.store.mailSubscriber(id: subscriber.id)
        #expect(changed.language == "id")
        #expect(changed.componentIDs == [t2.id, t3.id])

        let page = try site.get("/subscriptions/\(token)?done=saved")
        #expect(page.header("Content-Language") == "id")
        #expect(page.text.contains("Pilihan Anda telah disimpan.</p>"))
        #expect(page.text.contains(#"id="language-id" value="id" checked required>"#))
        #expect(page.text.contains(#"id="components-chosen" value="chosen" checked>"#))
        #expect(page.text.contains(#"id="c-\#(t3.id)" value="\#(t3.id)" checked> Autogate T3"#))

        let refused = try site.send("POST", "/subscriptions/\(token)", body: "action=save&language=en&components=chosen")
        #expect(refused.status == 422)
        #expect(refused.header("Referrer-Policy") == "no-referrer")
        #expect(refused.text.contains("Centang setidaknya satu komponen, atau pilih semua komponen.</p>"))
        let unknownAction = try site.send("POST", "/subscriptions/\(token)", body: "action=delete-everything")
        #expect(unknownAction.status == 422)
        #expect(unknownAction.text.contains(#"<p class="problem" role="alert"><span class="icon" aria-hidden="true">!</span>"#
            + "Permintaan ini tidak dikenali; silakan gunakan tombol di halaman ini.</p>"))
        #expect(try site.store.mailSubscriber(id: subscriber.id) == changed)

        let all = try site.send("POST", "/subscriptions/\(token)", body: "action=save&language=en&components=all"
            + "&component_ids%5B%5D=\(t2.id)")
        #expect(all.status == 303)
        #expect(try site.store.mailSubscriber(id: subscriber.id).componentIDs == nil)
    }

    @Test func oneClickLeavingDeletesTheRowAndARepeatIsNoError() throws {
        let site = try Self.makeSite()
        defer { site.close() }
        let (subscriber, token) = try Self.makeSubscriber(site)
        let path = "/subscriptions/\(token)/unsubscribe"

        let page = try site.get(path)
        #expect(page.status == 200)
        #expect(page.header("Referrer-Policy") == "no-referrer")
        #expect(page.header("Cache-Control") == "no-store")
        #expect(page.text.contains("<h1>Leave</h1>\n<p>The mails stop and your address is deleted.</p>\n"
            + #"<form class="subscribe" method="post" action="\#(path)?lang=en"><p><button type="submit" class="leave">Leave and delete my address</button></p></form>"#))
        #expect(try Self.rows(site, id: subscriber.id) == 1)

        // RFC 8058 §3.1, exactly as a mail client sends it.
        let left = try site.send("POST", path, body: "List-Unsubscribe=One-Click")
        #expect(left.status == 200)
        #expect(left.header("Referrer-Policy") == "no-referrer")
        #expect(left.header("Cache-Control") == "no-store")
        #expect(left.text.contains("<h1>You have left</h1>\n"
            + #"<p class="done" role="status">You have left; your address was deleted.</p>"#))
        #expect(try Self.rows(site, id: subscriber.id) == 0)

        // Clicked again on the page (which names its language), or from the mail.
        let again = try site.send("POST", path + "?lang=en", body: "")
        #expect(again.status == 200)
        #expect(again.text.contains("<h1>Subscription already ended</h1>\n"
            + #"<p class="done" role="status">This subscription had already ended; nothing more is sent to you.</p>"#))
        let fromMail = try site.send("POST", path, body: "List-Unsubscribe=One-Click")
        #expect(fromMail.status == 200)
        #expect(fromMail.text.contains("Langganan ini sudah berakhir sebelumnya"))
        #expect(try site.get("/subscriptions/\(token)").status == 404)
        #expect(try site.get(path).status == 404)

        // The same as multipart/form-data, and from the page's own button (an empty form).
        let (second, secondToken) = try Self.makeSubscriber(site, email: "budi@example.org", language: "id")
        let boundary = "----warta"
        let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--\(boundary)--\r\n"
        let byMultipart = try site.send("POST", "/subscriptions/\(secondToken)/unsubscribe",
                                        ["Content-Type": "multipart/form-data; boundary=\(boundary)"], body: multipart)
        #expect(byMultipart.status == 200)
        #expect(byMultipart.header("Content-Language") == "id")
        #expect(byMultipart.text.contains("Anda telah berhenti; alamat Anda telah dihapus."))
        #expect(try Self.rows(site, id: second.id) == 0)
        let (third, thirdToken) = try Self.makeSubscriber(site, email: "citra@example.org")
        #expect(try site.send("POST", "/subscriptions/\(thirdToken)/unsubscribe", body: "").status == 200)
        #expect(try Self.rows(site, id: third.id) == 0)
    }

    @Test func aLinkThatNamesNoSubscriptionIsNotFound() throws {
        let site = try Self.makeSite()
        defer { site.close() }
        let (subscriber, token) = try Self.makeSubscriber(site, confirmed: false)
        // Right shape, wrong MAC.
        let forged = String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")
        for path in ["/subscriptions/\(forged)", "/subscriptions/\(forged)/unsubscribe", "/subscriptions/short",
                     "/subscriptions/short/unsubscribe", "/subscriptions/\(token.uppercased())"] {
            let page = try site.get(path + "?lang=en")
            #expect(page.status == 404, "\(path)")
            #expect(page.header("Referrer-Policy") == "no-referrer", "\(path)")
            #expect(page.header("Cache-Control") == "no-store", "\(path)")
            #expect(page.text.contains("<h1>This link is no longer valid</h1>\n<p>It expired, or the subscription was ended.</p>"),
                    "\(path)")
            #expect(page.text.contains(#"<a href="/subscribe?lang=en">Sign up again</a>"#), "\(path)")
        }
        #expect(try site.send("POST", "/subscriptions/\(forged)", body: "action=confirm").status == 404)
        #expect(try site.send("POST", "/subscriptions/short/unsubscribe", body: "List-Unsubscribe=One-Click").status == 404)
        // A forged token looks genuine: leaving with it is "already ended", and deletes nothing.
        let forgedLeave = try site.send("POST", "/subscriptions/\(forged)/unsubscribe?lang=en", body: "List-Unsubscribe=One-Click")
        #expect(forgedLeave.status == 200)
        #expect(forgedLeave.text.contains("already ended"))
        #expect(try Self.rows(site, id: subscriber.id) == 1)

        // An unconfirmed sign-up whose 48 hours have passed is gone for its link too.
        site.clock.advance(by: Store.confirmationPeriod)
        #expect(try site.get("/subscriptions/\(token)").status == 404)
        #expect(try site.send("POST", "/subscriptions/\(token)", body: "action=confirm").status == 404)
        #expect(try site.store.mailSubscriber(id: subscriber.id).state == .unconfirmed)
    }

    @Test func aQuarantinedSubscriberIsToldMailBouncedAndMayLeave() throws {
        let site = try Self.makeSite()
        defer { site.close() }
        let (subscriber, token) = try Self.makeSubscriber(site)
        try site.store.withDatabase { database in
            try database.execute("UPDATE mail_subscribers SET quarantined_at = ? WHERE id = ?",
                                 [Timestamp.format(site.clock.now()), subscriber.id])
        }
        let page = try site.get("/subscriptions/\(token)")
        #expect(page.status == 200)
        #expect(page.text.contains(#"<p class="problem"><span class="icon" aria-hidden="true">!</span>"#
            + "Mail to sari@example.org bounced, so we stopped sending.</p>"))
        #expect(page.text.contains(#"<button type="submit" class="leave">Leave and delete my address</button>"#))
        #expect(!page.text.contains(#"name="action" value="save""#))
        #expect(try site.send("POST", "/subscriptions/\(token)/unsubscribe", body: "").status == 200)
        #expect(try Self.rows(site, id: subscriber.id) == 0)
    }
}
