// Every text the pages show, in French and English. The language follows the browser; a switch overrides it.
const fr = {
  'lang.label': 'Langue', 'signin.title': 'Connexion', 'signin.key': 'Votre clé d’accès', 'signin.help': 'Collez la clé reçue de l’opérateur du réseau.', 'signin.go': 'Se connecter', 'signout': 'Se déconnecter', 'signin.bad': 'Cette clé n’est pas reconnue pour cette page.',
  'live.on': 'En direct', 'live.off': 'Hors ligne — nouvelle tentative…',
  'track.title': 'Suivi de colis', 'track.number': 'Numéro de suivi', 'track.find': 'Suivre', 'track.status': 'État', 'track.where': 'Lieu de retrait', 'track.compartment': 'Casier', 'track.deadline': 'À retirer avant le', 'track.timeline': 'Historique', 'track.notfound': 'Aucun colis avec ce numéro. Vérifiez le numéro dans votre message.',
  'track.collect': 'Retirer mon colis', 'track.code': 'Code de retrait', 'track.code.help': 'Le code reçu par SMS ou e-mail. Si le message le demande, ajoutez ensuite les 4 derniers chiffres de votre téléphone.', 'track.open': 'Ouvrir le casier', 'track.opened': 'La porte du casier {n} s’ouvre. Prenez votre colis et refermez la porte.', 'track.collected.relay': 'Colis remis. Merci !', 'track.more': 'Demander plus de temps', 'track.extended': 'C’est noté : vous avez jusqu’au {d}.', 'track.map': 'Voir sur une carte',
  'status.AwaitingPickup': 'Enregistré, en attente du coursier', 'status.DroppedAtLocker': 'Déposé par le magasin en consigne', 'status.InTransit': 'En route', 'status.Returning': 'Retour au magasin', 'status.AwaitingCollection': 'Prêt à retirer', 'status.Collected': 'Retiré', 'status.Delivered': 'Livré', 'status.Expired': 'Délai dépassé', 'status.Returned': 'Rendu au magasin', 'status.Cancelled': 'Annulé',
  'dest.locker': 'Consigne', 'dest.relay': 'Commerce relais', 'dest.home': 'Domicile',
  'shop.title': 'Comptoir du magasin', 'shop.new': 'Nouveau colis', 'shop.name': 'Nom du destinataire', 'shop.phone': 'Téléphone portable', 'shop.email': 'E-mail (si pas de téléphone)', 'shop.size': 'Taille', 'shop.size.S': 'Petit', 'shop.size.M': 'Moyen', 'shop.size.L': 'Grand', 'shop.dest': 'Destination', 'shop.locker': 'Consigne', 'shop.relay': 'Commerce relais', 'shop.home': 'Domicile', 'shop.street': 'Rue et numéro', 'shop.postal': 'Code postal', 'shop.city': 'Ville', 'shop.position': 'Touchez la carte à l’emplacement du domicile', 'shop.from': 'Livrer à partir de', 'shop.to': 'Jusqu’à', 'shop.register': 'Enregistrer le colis', 'shop.registered': 'Colis enregistré', 'shop.print': 'Imprimer l’étiquette', 'shop.another': 'Colis suivant', 'shop.list': 'Mes colis', 'shop.cancel': 'Annuler', 'shop.cancel.confirm': 'Annuler ce colis ?', 'shop.empty': 'Aucun colis pour l’instant.', 'shop.fix': 'Corrigez les champs signalés : rien de ce que vous avez tapé n’est perdu.', 'shop.free': '{n} libres', 'shop.choose': '— Choisir —', 'shop.recipient': 'Destinataire', 'shop.tracking': 'Suivi', 'shop.returning': 'retour', 'shop.parcelNumber': 'N° de colis (coursier) :',
  'courier.title': 'Tournée du coursier', 'courier.load': 'Ce que je transporte', 'courier.units': '{n} unités', 'courier.parcel': 'Numéro du colis', 'courier.pickup': 'Prendre en charge', 'courier.deposit': 'Déposer en consigne', 'courier.relay': 'Remettre au relais', 'courier.deliver': 'Livré', 'courier.fail': 'Échec de livraison', 'courier.return': 'Rendre au magasin', 'courier.compartment': 'Mettez le colis dans le casier {n} de {l}.', 'courier.redirected': 'Colis redirigé vers {l}.', 'courier.done': 'Fait.', 'courier.queued': 'Pas de réseau : action gardée, elle sera envoyée au retour du réseau.', 'courier.pending': 'En attente d’envoi : {n}', 'courier.empty': 'Rien pour l’instant.', 'courier.shift.start': 'Commencer ma tournée', 'courier.shift.end': 'Finir ma tournée', 'courier.reason': 'Raison',
  'op.title': 'Console opérateur', 'op.lockers': 'Consignes', 'op.map': 'Carte du réseau', 'op.couriers': 'Coursiers', 'op.parcels': 'Colis', 'op.fill': 'Remplissage', 'op.door.open': 'porte ouverte', 'op.online': 'En ligne', 'op.offline': 'Hors ligne', 'op.alarms': 'Alarmes', 'op.free': 'Libres', 'op.compartments': 'Casiers', 'op.onshift': 'En tournée', 'op.offshift': 'Hors tournée', 'op.carrying': 'Transporte', 'op.vehicle': 'Véhicule', 'op.figures': 'Chiffres clés', 'op.today': 'Colis enregistrés', 'op.waiting': 'En attente de retrait', 'op.network.fill': 'Remplissage moyen', 'op.service': 'Mise hors service', 'op.shops': 'Commerces', 'op.perDay': 'Colis enregistrés par jour (14 jours)', 'op.reason': 'Raison (obligatoire, enregistrée)', 'op.reason.required': 'Donnez une raison : elle est enregistrée.', 'op.outOfService': 'Mettre hors service', 'op.returnToService': 'Remettre en service',
  'track.yourcode': 'Votre code de retrait :', 'track.code.phone': 'Au clavier de la consigne, tapez ce code puis, si le message le demande, les 4 derniers chiffres de votre téléphone. Ou présentez ce QR au lecteur.',
  'step.registered': 'Le magasin a enregistré votre colis.', 'step.registered.place': 'Le magasin a enregistré votre colis, à retirer à {place}.', 'step.dropped': 'Le magasin l’a déposé en consigne ({place}) pour le coursier.', 'step.pickedUp': 'Le coursier l’a pris en charge.', 'step.pickedUp.place': 'Le coursier l’a pris en charge chez {place}.', 'step.pickedUpForReturn': 'Le coursier le rapporte au magasin.', 'step.deposited': 'Déposé dans la consigne {place}, casier {compartment}. À retirer avant le {until}.', 'step.depositedAtRelay': 'Remis au commerce relais {place}. À retirer avant le {until}.', 'step.collected': 'Vous l’avez retiré.', 'step.collected.place': 'Vous l’avez retiré ({place}).', 'step.wrongCode': 'Un code faux a été tapé (essai {attempt} sur 5).', 'step.codeBlocked': 'Le code a été bloqué après {attempt} essais faux.', 'step.codeReissued': 'Un nouveau code vous a été envoyé, valable jusqu’au {until}.', 'step.reminder': 'Rappel envoyé : à retirer avant le {until}.', 'step.extended': 'Délai prolongé jusqu’au {until}.', 'step.expired': 'Pas retiré à temps : il retourne au magasin.', 'step.returned': 'Rendu au magasin {place}.', 'step.delivered': 'Livré à domicile.', 'step.deliveryFailed': 'La livraison à domicile n’a pas pu se faire ({reason}).', 'step.redirected': 'Il vous attendra à la consigne {place}.', 'step.cancelled': 'Le magasin a annulé l’envoi ({reason}).',
  'op.remote': 'Ouverture à distance', 'op.remote.go': 'Ouvrir à distance', 'op.remote.sent': 'Ordre d’ouverture du casier {n} envoyé à {l}.', 'op.rounds': 'Tournées', 'op.rounds.none': 'Aucune tournée planifiée.', 'op.rounds.stops': 'Arrêts faits', 'op.rounds.next': 'Prochain arrêt', 'op.rounds.finished': 'Terminée', 'op.plan': 'Planifier maintenant', 'op.plan.done': '{r} tournée(s), {p} colis planifiés, {u} non placés.', 'op.within24h': 'Retirés sous 24 h', 'op.within24h.title': 'Part des colis retirés sous 24 h (par jour de dépôt)', 'op.fill.title': 'Remplissage des consignes', 'op.kmPerParcel': 'Distance par colis (km, par tournée)', 'op.pooled': 'Enlèvements groupés par tournée (commerces)', 'op.chart.empty': 'Pas encore de données.',
  'courier.round': 'Ma tournée', 'courier.round.none': 'Pas de tournée planifiée pour l’instant.', 'courier.round.finished': 'Tournée terminée. Merci !', 'courier.next': 'Prochain arrêt :', 'courier.eta': 'arrivée prévue {at}', 'courier.window': 'créneau {from} – {to}', 'courier.stop.done': 'Arrêt fait', 'courier.stop.open': 'Ouvrir les casiers et déposer', 'courier.compartment.short': 'casier {n}', 'courier.compartment.parcel': 'Colis {p} : casier {n}.', 'courier.close.doors': 'Les portes s’ouvrent : refermez chaque porte une fois fini.', 'courier.map': 'Carte de la tournée, {n} arrêts', 'courier.action.pickup': 'Prendre', 'courier.action.deposit': 'Déposer', 'courier.action.depositAtRelay': 'Remettre au relais', 'courier.action.deliver': 'Livrer', 'courier.action.return': 'Rapporter au commerce', 'courier.parcel.help': 'Tapez le numéro ou scannez le QR de l’étiquette.', 'courier.scan': 'Scanner le QR', 'place.shop': 'Commerce', 'place.locker': 'Consigne', 'place.home': 'Domicile',
  'alarm.DoorLeftOpen': 'Porte restée ouverte', 'alarm.ForcedOpen': 'Ouverture forcée', 'alarm.LockStuck': 'Serrure bloquée', 'alarm.ControllerOffline': 'Contrôleur hors ligne',
  'err.network': 'Le serveur ne répond pas. Vérifiez la connexion et réessayez.', 'err.generic': 'Une erreur est survenue.',
  'home.title': 'Logistics — réseau de consignes', 'home.track': 'Suivre un colis', 'home.shop': 'Comptoir du magasin', 'home.courier': 'Tournée du coursier', 'home.operator': 'Console opérateur',
};
const en = {
  'lang.label': 'Language', 'signin.title': 'Sign in', 'signin.key': 'Your access key', 'signin.help': 'Paste the key the network operator gave you.', 'signin.go': 'Sign in', 'signout': 'Sign out', 'signin.bad': 'This key is not recognised for this page.',
  'live.on': 'Live', 'live.off': 'Offline — retrying…',
  'track.title': 'Parcel tracking', 'track.number': 'Tracking number', 'track.find': 'Track', 'track.status': 'Status', 'track.where': 'Collect at', 'track.compartment': 'Compartment', 'track.deadline': 'Collect before', 'track.timeline': 'History', 'track.notfound': 'No parcel has this number. Check the number in your message.',
  'track.collect': 'Collect my parcel', 'track.code': 'Pickup code', 'track.code.help': 'The code from your SMS or e-mail. If the message says so, add the last 4 digits of your phone after it.', 'track.open': 'Open the compartment', 'track.opened': 'The door of compartment {n} opens. Take your parcel and close the door.', 'track.collected.relay': 'Parcel handed over. Thank you!', 'track.more': 'Ask for more time', 'track.extended': 'Done: you now have until {d}.', 'track.map': 'See on a map',
  'status.AwaitingPickup': 'Registered, waiting for the courier', 'status.DroppedAtLocker': 'Dropped in a locker by the shop', 'status.InTransit': 'On its way', 'status.Returning': 'Going back to the shop', 'status.AwaitingCollection': 'Ready to collect', 'status.Collected': 'Collected', 'status.Delivered': 'Delivered', 'status.Expired': 'Not collected in time', 'status.Returned': 'Returned to the shop', 'status.Cancelled': 'Cancelled',
  'dest.locker': 'Locker', 'dest.relay': 'Relay shop', 'dest.home': 'Home',
  'shop.title': 'Shop counter', 'shop.new': 'New parcel', 'shop.name': 'Recipient’s name', 'shop.phone': 'Mobile phone', 'shop.email': 'E-mail (if no phone)', 'shop.size': 'Size', 'shop.size.S': 'Small', 'shop.size.M': 'Medium', 'shop.size.L': 'Large', 'shop.dest': 'Destination', 'shop.locker': 'Locker', 'shop.relay': 'Relay shop', 'shop.home': 'Home', 'shop.street': 'Street and number', 'shop.postal': 'Postal code', 'shop.city': 'Town', 'shop.position': 'Tap the map where the home is', 'shop.from': 'Deliver from', 'shop.to': 'Until', 'shop.register': 'Register the parcel', 'shop.registered': 'Parcel registered', 'shop.print': 'Print the label', 'shop.another': 'Next parcel', 'shop.list': 'My parcels', 'shop.cancel': 'Cancel', 'shop.cancel.confirm': 'Cancel this parcel?', 'shop.empty': 'No parcels yet.', 'shop.fix': 'Please fix the fields marked below: nothing you typed is lost.', 'shop.free': '{n} free', 'shop.choose': '— Choose —', 'shop.recipient': 'Recipient', 'shop.tracking': 'Tracking', 'shop.returning': 'returning', 'shop.parcelNumber': 'Parcel number (courier):',
  'courier.title': 'Courier round', 'courier.load': 'What I carry', 'courier.units': '{n} units', 'courier.parcel': 'Parcel number', 'courier.pickup': 'Pick up', 'courier.deposit': 'Deposit in locker', 'courier.relay': 'Hand to relay shop', 'courier.deliver': 'Delivered', 'courier.fail': 'Delivery failed', 'courier.return': 'Return to shop', 'courier.compartment': 'Put the parcel in compartment {n} of {l}.', 'courier.redirected': 'Parcel redirected to {l}.', 'courier.done': 'Done.', 'courier.queued': 'No connection: the action is kept and will be sent when the connection is back.', 'courier.pending': 'Waiting to send: {n}', 'courier.empty': 'Nothing yet.', 'courier.shift.start': 'Start my shift', 'courier.shift.end': 'End my shift', 'courier.reason': 'Reason',
  'op.title': 'Operator console', 'op.lockers': 'Lockers', 'op.map': 'Network map', 'op.couriers': 'Couriers', 'op.parcels': 'Parcels', 'op.fill': 'Fill', 'op.door.open': 'door open', 'op.online': 'Online', 'op.offline': 'Offline', 'op.alarms': 'Alarms', 'op.free': 'Free', 'op.compartments': 'Compartments', 'op.onshift': 'On shift', 'op.offshift': 'Off shift', 'op.carrying': 'Carrying', 'op.vehicle': 'Vehicle', 'op.figures': 'Key figures', 'op.today': 'Parcels registered', 'op.waiting': 'Waiting for collection', 'op.network.fill': 'Average fill', 'op.service': 'Out of service', 'op.shops': 'Shops', 'op.perDay': 'Parcels registered per day (14 days)', 'op.reason': 'Reason (required, recorded)', 'op.reason.required': 'Give a reason: it is recorded.', 'op.outOfService': 'Take out of service', 'op.returnToService': 'Return to service',
  'track.yourcode': 'Your pickup code:', 'track.code.phone': 'At the locker’s keypad, type this code and then, if the message says so, the last 4 digits of your phone. Or show this QR code to the reader.',
  'step.registered': 'The shop registered your parcel.', 'step.registered.place': 'The shop registered your parcel, to collect at {place}.', 'step.dropped': 'The shop left it in a locker ({place}) for the courier.', 'step.pickedUp': 'The courier picked it up.', 'step.pickedUp.place': 'The courier picked it up at {place}.', 'step.pickedUpForReturn': 'The courier is taking it back to the shop.', 'step.deposited': 'Put in locker {place}, compartment {compartment}. Collect it before {until}.', 'step.depositedAtRelay': 'Left at the relay shop {place}. Collect it before {until}.', 'step.collected': 'You collected it.', 'step.collected.place': 'You collected it ({place}).', 'step.wrongCode': 'A wrong code was typed (attempt {attempt} of 5).', 'step.codeBlocked': 'The code was blocked after {attempt} wrong attempts.', 'step.codeReissued': 'A new code was sent to you, valid until {until}.', 'step.reminder': 'Reminder sent: collect it before {until}.', 'step.extended': 'Deadline moved to {until}.', 'step.expired': 'Not collected in time: it goes back to the shop.', 'step.returned': 'Returned to the shop {place}.', 'step.delivered': 'Delivered at home.', 'step.deliveryFailed': 'The home delivery could not be made ({reason}).', 'step.redirected': 'It will wait for you at locker {place}.', 'step.cancelled': 'The shop cancelled the shipment ({reason}).',
  'op.remote': 'Remote open', 'op.remote.go': 'Open remotely', 'op.remote.sent': 'Order to open compartment {n} sent to {l}.', 'op.rounds': 'Rounds', 'op.rounds.none': 'No round planned.', 'op.rounds.stops': 'Stops done', 'op.rounds.next': 'Next stop', 'op.rounds.finished': 'Finished', 'op.plan': 'Plan now', 'op.plan.done': '{r} round(s), {p} parcels planned, {u} not placed.', 'op.within24h': 'Collected within 24 h', 'op.within24h.title': 'Share collected within 24 h (by day made available)', 'op.fill.title': 'Locker fill', 'op.kmPerParcel': 'Distance per parcel (km, per round)', 'op.pooled': 'Pooled pickups per round (shops)', 'op.chart.empty': 'No data yet.',
  'courier.round': 'My round', 'courier.round.none': 'No round planned yet.', 'courier.round.finished': 'Round finished. Thank you!', 'courier.next': 'Next stop:', 'courier.eta': 'planned arrival {at}', 'courier.window': 'window {from} – {to}', 'courier.stop.done': 'Stop done', 'courier.stop.open': 'Open the compartments and deposit', 'courier.compartment.short': 'compartment {n}', 'courier.compartment.parcel': 'Parcel {p}: compartment {n}.', 'courier.close.doors': 'The doors open: close each door when you are done.', 'courier.map': 'Map of the round, {n} stops', 'courier.action.pickup': 'Pick up', 'courier.action.deposit': 'Deposit', 'courier.action.depositAtRelay': 'Hand to relay', 'courier.action.deliver': 'Deliver', 'courier.action.return': 'Take back to the shop', 'courier.parcel.help': 'Type the number or scan the label’s QR code.', 'courier.scan': 'Scan the QR code', 'place.shop': 'Shop', 'place.locker': 'Locker', 'place.home': 'Home',
  'alarm.DoorLeftOpen': 'Door left open', 'alarm.ForcedOpen': 'Forced open', 'alarm.LockStuck': 'Lock stuck', 'alarm.ControllerOffline': 'Controller offline',
  'err.network': 'The server does not answer. Check the connection and try again.', 'err.generic': 'Something went wrong.',
  'home.title': 'Logistics — locker network', 'home.track': 'Track a parcel', 'home.shop': 'Shop counter', 'home.courier': 'Courier round', 'home.operator': 'Operator console',
};
const dictionaries = { fr, en };

export function language() {
  const chosen = localStorage.getItem('lg.lang');
  if (chosen && dictionaries[chosen]) return chosen;
  return (navigator.language || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function t(key, values = {}) {
  const text = dictionaries[language()][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? '');
}

/** Fills every [data-i18n] element (text) and [data-i18n-attr="attr:key"] attribute. */
export function translate(root = document) {
  document.documentElement.lang = language();
  root.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-attr]').forEach(el => {
    const [attr, key] = el.dataset.i18nAttr.split(':');
    el.setAttribute(attr, t(key));
  });
}

/** A language switch in the header; calls back so the page can re-render dynamic parts. */
export function languageSwitch(container, onChange) {
  const label = document.createElement('label');
  label.className = 'lang';
  label.innerHTML = '<span class="sr-only" data-i18n="lang.label"></span><select><option value="fr">Français</option><option value="en">English</option></select>';
  const select = label.querySelector('select');
  select.value = language();
  select.addEventListener('change', () => { localStorage.setItem('lg.lang', select.value); translate(); onChange?.(); });
  container.append(label);
  translate();
}

export function when(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language() === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

// The API answers in English; the person may read French. Known sentences are translated, others shown as sent.
const frenchAnswers = [
  [/^Say who the parcel is for\.$/, 'Indiquez à qui est destiné le colis.'],
  [/^The recipient's name is required\.?$/, 'Le nom du destinataire est obligatoire.'],
  [/^Give a phone number or an e-mail address, so the recipient gets the pickup code\.$/, 'Donnez un téléphone ou un e-mail : le destinataire y recevra son code de retrait.'],
  [/^The phone number needs at least 4 digits\.$/, 'Le numéro de téléphone doit avoir au moins 4 chiffres.'],
  [/^The e-mail address does not look right\.$/, 'L’adresse e-mail ne semble pas correcte.'],
  [/^Choose a size: S, M or L\.$/, 'Choisissez une taille : S, M ou L.'],
  [/^Choose a destination: a locker, a relay shop or a home address\.$/, 'Choisissez une destination : consigne, commerce relais ou domicile.'],
  [/^Choose the locker\.$/, 'Choisissez la consigne.'],
  [/^Choose the relay shop\.$/, 'Choisissez le commerce relais.'],
  [/^Home delivery needs the recipient's address\.$/, 'La livraison à domicile demande l’adresse du destinataire.'],
  [/^The street is required\.?$/, 'La rue est obligatoire.'],
  [/^The postal code is required\.?$/, 'Le code postal est obligatoire.'],
  [/^The town is required\.?$/, 'La ville est obligatoire.'],
  [/^The address needs a position on the map\.$/, 'Touchez la carte pour placer l’adresse.'],
  [/^Give a delivery window whose end comes after its start\.$/, 'Donnez un créneau dont la fin vient après le début.'],
  [/^The delivery window is already over\.$/, 'Ce créneau est déjà passé.'],
  [/^Type the pickup code you received\.$/, 'Tapez le code de retrait reçu.'],
  [/^That code is not right\. (\d+) attempt\(s\) left before the code is blocked\.$/, 'Ce code n’est pas le bon. Encore $1 essai(s) avant que le code soit bloqué.'],
  [/^That code is not right, and the code is now blocked\..*$/, 'Ce code n’est pas le bon et il est maintenant bloqué. Le magasin ou l’opérateur peut vous en envoyer un nouveau.'],
  [/^Too many wrong codes were typed here in the last hour\..*$/, 'Trop de codes faux ont été tapés ici dans l’heure. Réessayez plus tard ou contactez le magasin.'],
];

export function answer(text) {
  if (language() !== 'fr' || !text) return text;
  for (const [pattern, french] of frenchAnswers) {
    if (pattern.test(text)) return text.replace(pattern, french);
  }
  return text;
}
