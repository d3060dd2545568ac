package io.tributary.connectors.faker;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * Generates the sample records. Every record is a pure function of (seed, stream, id), so any slice
 * can be regenerated identically — which makes reads resumable and tests exact.
 *
 * @param updatedAt when non-null every record's {@code updated_at} (the {@code always_updated}
 *     option)
 */
record FakeData(long seed, int users, OffsetDateTime updatedAt) {

  static final int PRODUCTS = 100;
  private static final OffsetDateTime EPOCH =
      OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final String[] FIRST = {
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "Dennis",
    "Radia",
    "Linus",
    "Sophie",
    "Tim",
    "Karen",
    "John",
    "Hedy",
    "Niklaus",
    "Juliana",
    "Guido"
  };
  private static final String[] LAST = {
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Thompson",
    "Hamilton",
    "Ritchie",
    "Perlman",
    "Torvalds",
    "Wilson",
    "Berners-Lee",
    "Spärck Jones",
    "Backus",
    "Lamarr",
    "Wirth",
    "Rossi",
    "van Rossum"
  };
  private static final String[] TITLES = {"Mr.", "Mrs.", "Ms.", "Dr.", "Prof."};
  private static final String[] GENDERS = {"Female", "Male", "Non-binary", "Other"};
  private static final String[] LANGUAGES = {
    "English", "French", "German", "Spanish", "Japanese", "Portuguese", "Hindi"
  };
  private static final String[] DEGREES = {"Bachelor", "Master", "PhD", "None"};
  private static final String[] NATIONALITIES = {
    "British", "French", "German", "Indian", "Japanese", "Brazilian", "Kenyan"
  };
  private static final String[] OCCUPATIONS = {
    "Engineer", "Nurse", "Teacher", "Designer", "Farmer", "Pilot", "Chef"
  };
  private static final String[] BLOOD = {"A+", "A−", "B+", "B−", "AB+", "AB−", "O+", "O−"};
  private static final String[] CITIES = {
    "Lisbon", "Nairobi", "Osaka", "Québec", "Zürich", "São Paulo", "Kraków"
  };
  private static final String[] MAKES = {
    "Mazda", "Toyota", "Ford", "Volvo", "Škoda", "Kia", "Tesla", "Fiat"
  };
  private static final String[] MODELS = {
    "MX-5", "Corolla", "Focus", "XC90", "Octavia", "Niro", "Model 3", "Panda"
  };

  /** Purchases per user are 0–3, so ids run to about twice the user count. */
  int purchases() {
    int total = 0;
    for (int user = 1; user <= users; user++) {
      total += purchasesOf(user);
    }
    return total;
  }

  int purchasesOf(int user) {
    return random("purchases-of", user).nextInt(4);
  }

  long count(FakeStream stream) {
    return switch (stream) {
      case USERS -> users;
      case PRODUCTS -> PRODUCTS;
      case PURCHASES -> purchases();
    };
  }

  Object[] user(long id) {
    SplittableRandom r = random("users", id);
    String first = pick(r, FIRST);
    String last = pick(r, LAST);
    OffsetDateTime created = EPOCH.plusMinutes(id * 7 + r.nextInt(5));
    String address =
        "{\"street_number\":\""
            + (1 + r.nextInt(999))
            + "\",\"street_name\":\""
            + pick(r, LAST)
            + " Street\",\"city\":\""
            + pick(r, CITIES)
            + "\",\"postal_code\":\""
            + (10000 + r.nextInt(89999))
            + "\",\"country_code\":\""
            + pick(r, new String[] {"PT", "KE", "JP", "CA", "CH", "BR", "PL"})
            + "\"}";
    return new Object[] {
      id,
      created,
      updated(created),
      first + " " + last,
      pick(r, TITLES),
      (long) (18 + r.nextInt(70)),
      (first + "." + last + id + "@example.com").toLowerCase().replace(' ', '-'),
      "+1-555-" + String.format("%04d", r.nextInt(10000)),
      pick(r, GENDERS),
      pick(r, LANGUAGES),
      pick(r, DEGREES),
      pick(r, NATIONALITIES),
      pick(r, OCCUPATIONS),
      String.format("%.2f", 1.5 + r.nextDouble() * 0.6),
      pick(r, BLOOD),
      (long) (45 + r.nextInt(70)),
      address
    };
  }

  Object[] product(long id) {
    SplittableRandom r = random("products", id);
    int make = r.nextInt(MAKES.length);
    OffsetDateTime created = EPOCH.plusHours(id);
    return new Object[] {
      id,
      MAKES[make],
      MODELS[make],
      (long) (1990 + r.nextInt(35)),
      BigDecimal.valueOf(1000 + r.nextInt(90_000_00), 2),
      created,
      updated(created)
    };
  }

  /** The {@code index}-th purchase of {@code user}, numbered {@code id}. */
  Object[] purchase(long id, int user, int index) {
    SplittableRandom r = random("purchase", user * 8L + index);
    OffsetDateTime cart = EPOCH.plusMinutes(user * 7L + 60 + r.nextInt(10_000));
    OffsetDateTime bought = r.nextInt(10) < 8 ? cart.plusMinutes(1 + r.nextInt(600)) : null;
    OffsetDateTime returned =
        bought != null && r.nextInt(10) == 0 ? bought.plusDays(1 + r.nextInt(30)) : null;
    return new Object[] {
      id, (long) user, (long) (1 + r.nextInt(PRODUCTS)), cart, bought, returned, cart, updated(cart)
    };
  }

  private OffsetDateTime updated(OffsetDateTime created) {
    return updatedAt == null ? created : updatedAt;
  }

  private SplittableRandom random(String stream, long id) {
    return new SplittableRandom(
        seed * 1_000_003L ^ stream.hashCode() * 31L ^ id * 0x9E3779B97F4A7C15L);
  }

  private static String pick(SplittableRandom r, String[] values) {
    return values[r.nextInt(values.length)];
  }
}
