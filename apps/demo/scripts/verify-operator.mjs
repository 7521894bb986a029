// Marks an operator's email verified in the demo's database, so the account, once listed in
// ADMIN_EMAILS, may open /inbox and replay deliveries. Sign-up is open and sends no mail, so a
// listed address counts only once someone with access to the database has vouched for it.
//
//   DATABASE_URL=postgresql://... npm run operator -- ops@example.com
//
// With `npm run demo`, DATABASE_URL is the embedded database's URL it prints at start.
import pg from "pg";

const email = process.argv[2]?.trim();
if (!email || process.argv.length > 3) {
  console.error("Usage: DATABASE_URL=postgresql://... npm run operator -- <email>");
  process.exit(2);
}
const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error("Set DATABASE_URL to the demo's database (`npm run demo` prints the embedded one's).");
  process.exit(2);
}

const client = new pg.Client({ connectionString });
await client.connect();
try {
  const { rowCount } = await client.query(
    'UPDATE "User" SET "emailVerified" = true, "updatedAt" = now() WHERE lower("email") = lower($1)',
    [email],
  );
  if (rowCount === 0) {
    console.error(`No account has the email ${email}: sign up with it first.`);
    process.exitCode = 1;
  } else {
    console.log(`${email} is verified: with it in ADMIN_EMAILS, its account may open /inbox.`);
  }
} finally {
  await client.end();
}
