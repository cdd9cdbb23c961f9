package dev.loginpulse.dashboard.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * JWTs signed in the test (RS256, with the JDK alone), and the keys they are signed with: {@code jwt/private-key.pem}
 * (whose public half, {@code jwt/public-key.pem}, the service is configured with) and {@code jwt/foreign-private-key.pem}
 * (trusted by nobody). Test-only keys, generated for these tests.
 */
final class TestTokens {

    static final String ISSUER = "https://idp.login-pulse.test";

    private TestTokens() {
    }

    /** A token for {@code subject} from {@code issuer}, expiring at {@code expiry}, signed with {@code keyResource}. */
    static String token(String keyResource, String issuer, String subject, Instant expiry) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\":\"%s\",\"sub\":\"%s\",\"upn\":\"%s\",\"iat\":%d,\"exp\":%d}".formatted(issuer,
                subject, subject, Math.min(now, expiry.getEpochSecond() - 1), expiry.getEpochSecond());
        String payload = base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey(keyResource));
            signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + base64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token: the trusted key, the expected issuer, an hour to live. */
    static String valid(String subject) {
        return token("jwt/private-key.pem", ISSUER, subject, Instant.now().plusSeconds(3600));
    }

    static String resource(String name) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("No test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PrivateKey privateKey(String resource) throws GeneralSecurityException {
        String pem = resource(resource).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }
}
