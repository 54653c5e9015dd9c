import Foundation
@testable import HTTPServer
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// Which prepared documents are held in memory files and sent with `sendfile`: a snapshot's
/// own large documents, never the small ones nor those rendered on request (each file is a
/// descriptor while it lives), and the bytes a client gets from the file are the body's.
@Suite struct PreparedFileTests {
    typealias PageServer = PublicPagesTests.PageServer

    @Test func aSnapshotsLargeDocumentsAreSentFromMemoryFiles() throws {
        let site = try PageServer.make()
        defer { site.close() }
        // Enough components, each with its 90-day bar, for `/` to pass the threshold.
        let incident = try site.write { store, now in
            for number in 1...40 {
                _ = try store.createComponent(ComponentDraft(name: "Layanan \(number)", description: "Kantor \(number)"),
                                              by: PublicPagesTests.actor, now: now)
            }
            return try store.createIncident(IncidentDraft(name: "Antrean lambat", body: "Kami menyelidiki."),
                                            by: PublicPagesTests.actor, now: now)
        }
        let snapshot = site.publisher.snapshots.current
        let overview = snapshot.html.overview(.indonesian).representation
        #expect(overview.identity.body.count >= FileBody.threshold)
        let file = try #require(overview.identity.file)
        #expect(file.count == overview.identity.body.count)
        // Its gzip form is small: sent from memory.
        #expect(overview.gzip?.file == nil)
        #expect(snapshot.html.theme.representation.identity.file == nil)
        // Rendered on request: never a file, however large.
        let page = try #require(snapshot.html.incident(id: incident.id, .indonesian)).representation
        #expect(page.identity.file == nil)

        // What a client reads is the body, whole, also through HEAD and after the Brotli swap.
        let served = try site.get("/")
        #expect(served.status == 200)
        #expect(served.body == overview.identity.body)
        site.publisher.completeBrotli()
        #expect(site.publisher.snapshots.current.html.overview(.indonesian).representation.identity.file === file)
        #expect(try site.get("/").body == overview.identity.body)
    }
}
