// Small tables are enough: the point is realistic shapes and a fast, deterministic generator.
// Every entry is ASCII with no quote or backslash: lines are written as bytes without escaping.
export const firstNames = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Lucia', 'Kenji', 'Amara', 'Mateo', 'Priya', 'Ole', 'Yara', 'Tariq', 'Ines', 'Sven', 'Mei', 'Omar'];
export const lastNames = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young'];
export const titles = ['Mr.', 'Mrs.', 'Ms.', 'Miss', 'Dr.', 'Prof.', 'MSc', 'PhD', 'B.Sc', 'M.D.'];
export const emailDomains = ['example.com', 'example.org', 'example.net', 'mail.test', 'inbox.test', 'post.test'];
export const genders = ['Male', 'Female', 'Fluid', 'Other', 'Agender', 'Bigender'];
export const languages = ['English', 'Spanish', 'French', 'German', 'Italian', 'Portuguese', 'Dutch', 'Swedish', 'Polish', 'Japanese', 'Korean', 'Hindi', 'Arabic', 'Turkish', 'Greek', 'Czech'];
export const degrees = ['Bachelor', 'Master', 'PhD'];
export const nationalities = ['American', 'British', 'Canadian', 'Australian', 'Irish', 'German', 'French', 'Spanish', 'Italian', 'Dutch', 'Swedish', 'Norwegian', 'Danish', 'Polish', 'Japanese', 'Korean', 'Indian', 'Brazilian', 'Mexican', 'Argentinian'];
export const occupations = ['Accountant', 'Architect', 'Baker', 'Carpenter', 'Chef', 'Dentist', 'Designer', 'Electrician', 'Engineer', 'Farmer', 'Firefighter', 'Journalist', 'Lawyer', 'Librarian', 'Mechanic', 'Nurse', 'Pharmacist', 'Photographer', 'Pilot', 'Plumber', 'Programmer', 'Scientist', 'Teacher', 'Veterinarian'];
export const bloodTypes = ['O+', 'O-', 'A+', 'A-', 'B+', 'B-', 'AB+', 'AB-'];
export const streetNames = ['Main', 'Oak', 'Pine', 'Maple', 'Cedar', 'Elm', 'Lake', 'Hill', 'Sunset', 'River', 'Park', 'Washington', 'Church', 'Mill', 'Spring', 'Meadow', 'Forest', 'Highland', 'Ridge', 'Valley'];
export const streetSuffixes = ['Street', 'Avenue', 'Road', 'Lane', 'Drive', 'Court', 'Place', 'Way', 'Boulevard', 'Terrace'];
export const cities = ['Springfield', 'Riverside', 'Franklin', 'Greenville', 'Bristol', 'Clinton', 'Fairview', 'Salem', 'Madison', 'Georgetown', 'Arlington', 'Ashland', 'Burlington', 'Manchester', 'Milton', 'Newport', 'Oxford', 'Dover', 'Hudson', 'Kingston'];
export const states = ['Alabama', 'Alaska', 'Arizona', 'California', 'Colorado', 'Florida', 'Georgia', 'Illinois', 'Indiana', 'Kansas', 'Maine', 'Michigan', 'Nevada', 'New York', 'Ohio', 'Oregon', 'Texas', 'Utah', 'Vermont', 'Washington'];
export const countryCodes = ['US', 'CA', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'SE', 'NO', 'DK', 'PL', 'JP', 'KR', 'IN', 'BR', 'MX', 'AR', 'AU', 'IE'];
export const carMakes: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Mazda', ['MX-5', 'CX-5', 'Mazda3', 'RX-8']],
  ['Mercedes-Benz', ['C-Class', 'E-Class', 'GLA', 'S-Class']],
  ['Honda', ['Accord Crosstour', 'Civic', 'CR-V', 'Fit']],
  ['GMC', ['Jimmy', 'Sierra', 'Yukon', 'Acadia']],
  ['Ford', ['Focus', 'Mustang', 'F-150', 'Escape']],
  ['Toyota', ['Camry', 'Corolla', 'Prius', 'RAV4']],
  ['Volkswagen', ['Golf', 'Passat', 'Jetta', 'Tiguan']],
  ['Chevrolet', ['Malibu', 'Impala', 'Camaro', 'Tahoe']],
  ['Nissan', ['Altima', 'Leaf', 'Rogue', 'Sentra']],
  ['BMW', ['3 Series', '5 Series', 'X3', 'X5']],
];
