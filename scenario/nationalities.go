package scenario

import "slices"

// nationality is what a guest from one country looks like: names as their
// documents print them (accents, apostrophes, other scripts), mobile numbers
// as their operators hand them out, and home addresses.
type nationality struct {
	alpha3 string
	male   []string
	female []string
	// last names; lastFemale, when set, are the female forms of last
	// (Czech, Polish, Greek), index for index.
	last       []string
	lastFemale []string
	// mobile prefixes of the national significant number, and its length.
	mobile    []string
	mobileLen int
	cities    []string
	streets   []string
	zipDigits int
}

// nationalities are keyed by ISO 3166-1 alpha-2.
var nationalities = map[string]nationality{
	"IT": {
		alpha3: "ITA",
		male:   []string{"Luca", "Marco", "Niccolò", "Giuseppe", "Andrea", "Mattia", "Lorenzo"},
		female: []string{"Giulia", "Chiara", "Francesca", "Sofia", "Ilaria", "Benedetta", "Aurora"},
		last:   []string{"Rossi", "Bianchi", "Esposito", "D'Angelo", "Della Rovere", "Ricci", "Colombo", "Mancini", "Lo Presti"},
		mobile: []string{"320", "328", "333", "338", "340", "347", "349", "366", "380", "392"}, mobileLen: 10,
		cities: []string{"Milano", "Torino", "Napoli", "Bologna", "Forlì", "Cantù"}, streets: []string{"Via Garibaldi", "Corso Vittorio Emanuele II", "Via dei Mille", "Piazza Duomo"}, zipDigits: 5,
	},
	"PT": {
		alpha3: "PRT",
		male:   []string{"João", "António", "Tiago", "Gonçalo", "Rui", "Simão"},
		female: []string{"Inês", "Beatriz", "Leonor", "Mariana", "Conceição", "Joana"},
		last:   []string{"Gonçalves", "Magalhães", "Simões", "Conceição", "Pereira", "Araújo", "Sousa"},
		mobile: []string{"912", "913", "916", "917", "918", "925", "926", "932", "936", "965", "966"}, mobileLen: 9,
		cities: []string{"Porto", "Braga", "Coimbra", "Évora", "Setúbal"}, streets: []string{"Rua de Santa Catarina", "Avenida da Liberdade", "Rua do Ouro"}, zipDigits: 7,
	},
	"AT": {
		alpha3: "AUT",
		male:   []string{"Jürgen", "Lukas", "Maximilian", "Florian", "Andreas"},
		female: []string{"Lena", "Jana", "Anna-Lena", "Theresa", "Sophie"},
		last:   []string{"Müller", "Gruber", "Huber", "Wögerbauer", "Strauß", "Pichler", "Steiner"},
		mobile: []string{"664", "676", "699", "650", "660"}, mobileLen: 10,
		cities: []string{"Graz", "Linz", "Salzburg", "Innsbruck", "Klagenfurt am Wörthersee"}, streets: []string{"Hauptstraße", "Mariahilfer Straße", "Getreidegasse"}, zipDigits: 4,
	},
	"DE": {
		alpha3: "DEU",
		male:   []string{"Jörg", "Felix", "Paul", "Björn", "Jonas", "Lars"},
		female: []string{"Käthe", "Marie", "Hannah", "Lea", "Jülide", "Frauke"},
		last:   []string{"Schröder", "Weiß", "Köhler", "Schmidt", "Fischer", "Groß", "Meyer"},
		mobile: []string{"151", "152", "157", "160", "170", "171", "172", "176", "179"}, mobileLen: 11,
		cities: []string{"München", "Köln", "Berlin", "Düsseldorf", "Lübeck"}, streets: []string{"Hauptstraße", "Schloßallee", "Bahnhofstraße"}, zipDigits: 5,
	},
	"FR": {
		alpha3: "FRA",
		male:   []string{"François", "Jérôme", "Étienne", "Loïc", "Noël", "Hugo"},
		female: []string{"Chloé", "Hélène", "Zoé", "Océane", "Anaïs", "Camille"},
		last:   []string{"Lefèvre", "Dubois", "Benoît", "Fontaine", "Girard", "Lemaître", "N'Diaye"},
		mobile: []string{"6", "7"}, mobileLen: 9,
		cities: []string{"Lyon", "Nîmes", "Besançon", "Orléans", "Paris"}, streets: []string{"Rue de la République", "Boulevard Saint-Germain", "Rue des Écoles"}, zipDigits: 5,
	},
	"ES": {
		alpha3: "ESP",
		male:   []string{"José", "Iñaki", "Álvaro", "Sergio", "Jesús"},
		female: []string{"Lucía", "María José", "Begoña", "Nuria", "Ángela"},
		last:   []string{"Muñoz", "García Núñez", "Peña", "Ibáñez", "Fernández", "Martín"},
		mobile: []string{"6"}, mobileLen: 9,
		cities: []string{"Madrid", "A Coruña", "Málaga", "Cádiz", "León"}, streets: []string{"Calle Mayor", "Gran Vía", "Calle de Alcalá"}, zipDigits: 5,
	},
	"GB": {
		alpha3: "GBR",
		male:   []string{"Oliver", "Harry", "George", "Jack", "Seán"},
		female: []string{"Amelia", "Isla", "Olivia", "Siobhán", "Emily"},
		last:   []string{"O'Brien", "Smith", "Taylor", "Wright", "Ffrench-Mullen"},
		mobile: []string{"74", "75", "77", "78", "79"}, mobileLen: 10,
		cities: []string{"Leeds", "Bristol", "Manchester", "London"}, streets: []string{"High Street", "Station Road", "Church Lane"},
	},
	"US": {
		alpha3: "USA",
		male:   []string{"Anthony", "Michael", "Tyler", "Christopher"},
		female: []string{"Emily", "Madison", "Ashley", "Jennifer"},
		last:   []string{"Johnson", "Soprano", "Miller", "Davis", "García"},
		mobile: []string{"212", "312", "415", "617", "646", "718", "917"}, mobileLen: 10,
		cities: []string{"Caldwell", "Boston", "Chicago", "San Francisco"}, streets: []string{"Aspen Dr", "Main St", "Elm Street"}, zipDigits: 5,
	},
	"PL": {
		alpha3:     "POL",
		male:       []string{"Łukasz", "Paweł", "Wojciech", "Grzegorz"},
		female:     []string{"Małgorzata", "Agnieszka", "Zofia", "Jadwiga"},
		last:       []string{"Wiśniewski", "Kowalczyk", "Wójcik", "Zieliński", "Nowak"},
		lastFemale: []string{"Wiśniewska", "Kowalczyk", "Wójcik", "Zielińska", "Nowak"},
		mobile:     []string{"50", "51", "53", "57", "60", "66", "69", "72", "78", "79", "88"}, mobileLen: 9,
		cities: []string{"Kraków", "Łódź", "Gdańsk", "Wrocław"}, streets: []string{"ulica Długa", "ulica Piotrkowska", "Aleje Jerozolimskie"}, zipDigits: 5,
	},
	"CZ": {
		alpha3:     "CZE",
		male:       []string{"Jiří", "Tomáš", "Ondřej", "Lukáš"},
		female:     []string{"Kateřina", "Lucie", "Tereza", "Zuzana"},
		last:       []string{"Dvořák", "Novák", "Černý", "Procházka"},
		lastFemale: []string{"Dvořáková", "Nováková", "Černá", "Procházková"},
		mobile:     []string{"601", "602", "603", "604", "605", "606", "607", "608", "720", "721", "722", "730", "731", "732", "733", "734", "736", "737", "739", "775", "776", "777"}, mobileLen: 9,
		cities: []string{"Brno", "Plzeň", "České Budějovice", "Praha"}, streets: []string{"Národní třída", "Masarykova", "Vodičkova"}, zipDigits: 5,
	},
	"GR": {
		alpha3:     "GRC",
		male:       []string{"Γιώργος", "Νίκος", "Κώστας", "Giorgos"},
		female:     []string{"Μαρία", "Ελένη", "Κατερίνα", "Eleni"},
		last:       []string{"Παπαδόπουλος", "Οικονόμου", "Παππάς", "Papadakis"},
		lastFemale: []string{"Παπαδοπούλου", "Οικονόμου", "Παππά", "Papadaki"},
		mobile:     []string{"69"}, mobileLen: 10,
		cities: []string{"Αθήνα", "Thessaloniki", "Πάτρα"}, streets: []string{"Οδός Ερμού", "Egnatia"}, zipDigits: 5,
	},
	"TR": {
		alpha3: "TUR",
		male:   []string{"Şükrü", "Emre", "Çağatay", "İbrahim"},
		female: []string{"Çağla", "Ayşe", "Gülşen", "Özlem"},
		last:   []string{"Öztürk", "Yılmaz", "Şahin", "Çelik"},
		mobile: []string{"50", "53", "54", "55"}, mobileLen: 10,
		cities: []string{"İstanbul", "İzmir", "Muğla"}, streets: []string{"İstiklal Caddesi", "Atatürk Bulvarı"}, zipDigits: 5,
	},
	"HU": {
		alpha3: "HUN",
		male:   []string{"Ádám", "Bálint", "Gergő", "Zoltán"},
		female: []string{"Zsófia", "Réka", "Eszter", "Dóra"},
		last:   []string{"Kovács", "Szőke", "Tóth", "Horváth", "Nagy"},
		mobile: []string{"20", "30", "70"}, mobileLen: 9,
		cities: []string{"Budapest", "Pécs", "Győr"}, streets: []string{"Andrássy út", "Váci utca"}, zipDigits: 4,
	},
	"SE": {
		alpha3: "SWE",
		male:   []string{"Björn", "Åke", "Oskar", "Nils"},
		female: []string{"Åsa", "Märta", "Linnéa", "Ebba"},
		last:   []string{"Lindström", "Öberg", "Åberg", "Söderberg", "Nilsson"},
		mobile: []string{"70", "72", "73", "76", "79"}, mobileLen: 9,
		cities: []string{"Göteborg", "Malmö", "Uppsala", "Västerås"}, streets: []string{"Drottninggatan", "Storgatan", "Kungsgatan"}, zipDigits: 5,
	},
}

// visitors is where foreign guests come from, as weights: most from the
// neighbours, a few from far away.
var visitors = []struct {
	country string
	weight  int
}{
	{"DE", 14}, {"FR", 10}, {"GB", 10}, {"US", 9}, {"ES", 8}, {"IT", 8}, {"AT", 5},
	{"PL", 5}, {"CZ", 4}, {"PT", 4}, {"GR", 3}, {"TR", 3}, {"HU", 3}, {"SE", 3},
}

// domesticShare is the part of a branch's guests from its own country.
const domesticShare = 0.4

func countryCodes() []string {
	out := make([]string, 0, len(nationalities))
	for c := range nationalities {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}
